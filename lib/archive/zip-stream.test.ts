import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createWriteStream } from "node:fs";
import { fileNameTime, safeFileNamePart, uniqueNames } from "./safe-file-name";
import { zipStream, type ZipEntry } from "./zip-stream";

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), "groupshot-zip-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function fileEntry(path: string, name: string, sizeBytes: number, wallClockMs: number, opened?: { count: number }): ZipEntry {
  return {
    name,
    sizeBytes,
    wallClockMs,
    open: () => {
      if (opened) opened.count += 1;
      return createReadStream(path);
    },
  };
}

async function writeZip(entries: ZipEntry[], path: string, options: { zip64?: boolean } = {}): Promise<number> {
  const zip = await zipStream(entries, options);
  await pipeline(zip.stream, createWriteStream(path));
  return zip.sizeBytes;
}

test("the archive opens with unzip -t; names (UTF-8) and wall-clock dates are as given; its size is known up front", async (t) => {
  const dir = tempDir(t);
  const files = [randomBytes(10_000), randomBytes(70_000), Buffer.from("tiny")];
  files.forEach((bytes, i) => writeFileSync(join(dir, `f${i}`), bytes));
  const when = Date.UTC(2026, 4, 4, 13, 14, 16); // DOS times have 2 s steps: an even second
  const entries = [
    fileEntry(join(dir, "f0"), "Picnic/Zoë 2026-05-04 13-14-16.jpg", files[0]!.length, when),
    fileEntry(join(dir, "f1"), "Picnic/Ana 2026-05-04 13-14-16.heic", files[1]!.length, when + 3_600_000),
    fileEntry(join(dir, "f2"), "Picnic/李 2026-05-04 13-14-16.png", files[2]!.length, when),
  ];
  const zipPath = join(dir, "out.zip");
  const sizeBytes = await writeZip(entries, zipPath);
  assert.equal(execFileSync("stat", ["-c", "%s", zipPath]).toString().trim(), String(sizeBytes), "Content-Length is exact");
  execFileSync("unzip", ["-tq", zipPath]); // throws unless every entry's CRC checks
  const names = execFileSync("unzip", ["-Z1", zipPath]).toString("utf8").trim().split("\n");
  assert.deepEqual(names, entries.map((e) => e.name));
  // zipinfo -T: yyyymmdd.hhmmss, the DOS time as stored (no time zone applied).
  const times = execFileSync("unzip", ["-ZT", "-l", zipPath]).toString("utf8");
  assert.match(times, /20260504\.131416 .*Zoë/u);
  assert.match(times, /20260504\.141416 .*Ana/u);
  for (const [i, entry] of entries.entries()) {
    const content = execFileSync("unzip", ["-p", zipPath, entry.name]);
    assert.ok(content.equals(files[i]!), `${entry.name} round-trips`);
  }
});

test("ZIP64 records open too (written automatically past 4 GiB or 65,535 entries)", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "f"), randomBytes(5_000));
  const zipPath = join(dir, "out64.zip");
  await writeZip([fileEntry(join(dir, "f"), "a.jpg", 5_000, Date.UTC(2026, 0, 1)), fileEntry(join(dir, "f"), "b.jpg", 5_000, Date.UTC(2026, 0, 1))], zipPath, { zip64: true });
  execFileSync("unzip", ["-tq", zipPath]);
});

test("streaming memory stays bounded: 120 MB of photos through the archive", async (t) => {
  const dir = tempDir(t);
  const photoBytes = 2 * 1024 * 1024;
  writeFileSync(join(dir, "photo"), randomBytes(photoBytes));
  const entries = Array.from({ length: 60 }, (_, i) => fileEntry(join(dir, "photo"), `p${i}.jpg`, photoBytes, Date.UTC(2026, 0, 1)));
  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakBuffers = base.arrayBuffers;
  let total = 0;
  const zip = await zipStream(entries);
  for await (const chunk of zip.stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
  }
  assert.equal(total, zip.sizeBytes);
  const rssGrowthMb = (peakRss - base.rss) / 1e6;
  const buffersGrowthMb = (peakBuffers - base.arrayBuffers) / 1e6;
  console.log(`zip of ${(total / 1e6).toFixed(0)} MB: RSS grew ${rssGrowthMb.toFixed(1)} MB, array buffers ${buffersGrowthMb.toFixed(1)} MB`);
  assert.ok(rssGrowthMb < 60, `RSS grew ${rssGrowthMb.toFixed(1)} MB for a ${(total / 1e6).toFixed(0)} MB archive`);
});

test("a consumer that goes away mid-archive closes the open file and opens no other", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "photo"), randomBytes(1024 * 1024));
  const opened = { count: 0 };
  const entries = Array.from({ length: 20 }, (_, i) => fileEntry(join(dir, "photo"), `p${i}.jpg`, 1024 * 1024, Date.UTC(2026, 0, 1), opened));
  const zip = await zipStream(entries);
  let received = 0;
  for await (const chunk of zip.stream as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > 100_000) break; // leaving the loop destroys the stream, as a closed response does
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(zip.openEntries(), 0, "no file left open");
  assert.ok(opened.count <= 2, `${opened.count} files were opened for ${received} bytes`);
});

test("file names: safe on every OS, unique case-insensitively, letters of every script kept", () => {
  assert.equal(safeFileNamePart('Ana/..\\<b>:"x"|?*', "photo"), "Ana-..--b---x----");
  assert.equal(safeFileNamePart("  ..hidden.  ", "photo"), "hidden");
  assert.equal(safeFileNamePart("CON", "photo"), "photo");
  assert.equal(safeFileNamePart("\u202eevil\u0000", "photo"), "evil", "no bidi override, no NUL");
  assert.equal(safeFileNamePart("Zoe\u0301", "photo"), "Zoé", "NFC");
  assert.equal(safeFileNamePart("李小龍", "photo"), "李小龍");
  assert.equal([...safeFileNamePart("x".repeat(500), "photo")].length, 60);
  assert.equal(fileNameTime(Date.UTC(2026, 4, 4, 13, 14, 15)), "2026-05-04 13-14-15");
  assert.deepEqual(
    uniqueNames([{ base: "Ana", extension: "jpg" }, { base: "ana", extension: "jpg" }, { base: "Ana", extension: "png" }, { base: "Ana", extension: "jpg" }]),
    ["Ana.jpg", "ana (2).jpg", "Ana.png", "Ana (3).jpg"],
  );
});
