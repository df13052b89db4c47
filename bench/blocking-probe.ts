// What holds a site's event loop while it handles one 12 MP upload, step by step, measured in
// this process with the code the sites run:
//   npx tsx bench/blocking-probe.ts
// A synchronous step holds the loop for its whole duration; for an asynchronous one the probe
// reports the longest single stretch the loop was held while it ran (a ticker records the
// largest gap between two of its turns). Medians over a few repetitions, and as a control the
// event-loop delay of this process doing nothing (the host's own scheduling delay). Used to
// explain the event-loop p99 in bench/results/latest.md.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance, monitorEventLoopDelay } from "node:perf_hooks";
import Database from "better-sqlite3";
import { BlobStore } from "../lib/store/blob-store";
import { signRequest } from "../lib/internal/signature";
import { buildMontage, processUpload, MONTAGE_FULL } from "../lib/images";
import { montagePhotoOf } from "../lib/images/montage-photo";
import { multipartFile } from "../lib/http/multipart-file";
import { PhotoSource } from "./lib/photos";
import { median } from "./lib/stats";

const REPEATS = 7;

/** Median wall time of a synchronous step: how long it holds the event loop. */
function timeSync(fn: () => unknown): number {
  const wall: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    fn();
    wall.push(performance.now() - start);
  }
  return median(wall);
}

/** Median, over repetitions, of the longest stretch the event loop was held while `fn` ran. */
async function longestHold(fn: () => Promise<unknown>): Promise<number> {
  const holds: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    let last = performance.now();
    let longest = 0;
    let running = true;
    const tick = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await fn();
    running = false;
    holds.push(longest);
  }
  return median(holds);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "groupshot-probe-"));
  try {
    const source = new PhotoSource();
    const photo = await source.bytes(0);
    const form = new FormData();
    form.append("photo", new Blob([photo], { type: "image/jpeg" }), "photo.jpg");
    const request = new Response(form);
    const contentType = request.headers.get("content-type") ?? "";
    const body = new Uint8Array(await request.arrayBuffer());
    const processed = await processUpload(photo);
    const blobs = new BlobStore(join(dir, "blobs"));
    const rows: Array<[string, number]> = [];
    let n = 0;
    const fresh = (bytes: Uint8Array) => {
      const copy = new Uint8Array(bytes);
      copy[copy.length - 1] = n++ & 0xff; // a new blob each time
      return copy;
    };

    rows.push([`multipart: the photo taken from a ${(body.length / 1e6).toFixed(1)} MB upload as a view (sync)`, timeSync(() => multipartFile(body, contentType, "photo"))]);
    rows.push([`processUpload of the 12 MP photo (sharp on the libuv pool): longest hold`, await longestHold(() => processUpload(photo))]);
    rows.push([`BlobStore.writeAsync of the display image (${(processed.display.bytes.length / 1e3).toFixed(0)} kB): longest hold`, await longestHold(() => blobs.writeAsync(fresh(processed.display.bytes)))]);
    const display = processed.display;
    rows.push([`signing a blob PUT of the display image by its name (sync)`, timeSync(() => signRequest({ secret: "s".repeat(40), siteId: "s0", method: "PUT", path: `/api/internal/blobs/${display.sha256}`, body: display.bytes, bodySha256: display.sha256, nowMs: Date.now() }))]);
    rows.push([`  for comparison: the same, hashing the bytes (sync)`, timeSync(() => signRequest({ secret: "s".repeat(40), siteId: "s0", method: "PUT", path: `/api/internal/blobs/${display.sha256}`, body: display.bytes, nowMs: Date.now() }))]);
    const db = new Database(join(dir, "probe.db"));
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
    const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
    rows.push(["one durable SQLite commit, a protocol step (sync: fsync on the event loop)", timeSync(() => db.transaction(() => insert.run("x".repeat(500))).immediate())]);
    db.close();
    const tiles = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => montagePhotoOf(`ph_${String(i).padStart(12, "0")}`, (await processUpload(await source.bytes(i))).display.bytes)),
    );
    rows.push([`montage of 10 photos, the 3000 px download (buildMontage): longest hold`, await longestHold(() => buildMontage(tiles, MONTAGE_FULL))]);
    // The host's own scheduling delay: this process's event loop while it sleeps.
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    idle.disable();
    rows.push(["control: this process idle for 3 s, event-loop delay p99 (the host's own scheduling delay)", idle.percentile(99) / 1e6]);

    console.log("| step | median ms |\n|---|---|");
    for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(1)} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
