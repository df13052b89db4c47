import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BlobCollector } from "./blob-collector";
import { sha256Hex } from "./blob-store";
import { MemoryBlobFiles } from "./memory-blob-files";

const HOUR = 3_600_000;
const NOW = 10 * HOUR;
const hashOf = (n: number) => sha256Hex(Buffer.from(`blob ${n}`));

describe("BlobCollector (memory twin)", () => {
  it("collects old blobs nothing refers to; keeps referenced ones and ones inside the grace period", async () => {
    const files = new MemoryBlobFiles();
    const [unreferenced, referenced, fresh] = [hashOf(1), hashOf(2), hashOf(3)];
    files.put(unreferenced, NOW - 2 * HOUR, 100);
    files.put(referenced, NOW - 2 * HOUR, 200);
    files.put(fresh, NOW - 60_000, 300); // pushed for a PREPARE that has not arrived yet
    const collector = new BlobCollector({ blobs: files, referenced: (hs) => new Set(hs.filter((h) => h === referenced)), graceMs: HOUR, filesPerPass: 100, nowMs: () => NOW });
    const pass = await collector.pass();
    assert.deepEqual({ collected: pass.collected, bytes: pass.collectedBytes, examined: pass.examined }, { collected: 1, bytes: 100, examined: 3 });
    assert.deepEqual([...files.files.keys()].sort(), [referenced, fresh].sort());
  });

  it("asks about old blobs only, and never about the fresh ones", async () => {
    const files = new MemoryBlobFiles();
    files.put(hashOf(1), NOW - 2 * HOUR);
    files.put(hashOf(2), NOW);
    const asked: string[] = [];
    const collector = new BlobCollector({ blobs: files, referenced: (hs) => (asked.push(...hs), new Set(hs)), graceMs: HOUR, filesPerPass: 100, nowMs: () => NOW });
    await collector.pass();
    assert.deepEqual(asked, [hashOf(1)]);
    assert.equal(files.files.size, 2);
  });

  it("looks at no more than filesPerPass files a pass and goes on where it stopped", async () => {
    const files = new MemoryBlobFiles();
    for (let n = 0; n < 25; n++) files.put(hashOf(n), NOW - 2 * HOUR);
    const collector = new BlobCollector({ blobs: files, referenced: () => new Set(), graceMs: HOUR, filesPerPass: 4, nowMs: () => NOW });
    const examined: number[] = [];
    for (let i = 0; i < 7; i++) examined.push((await collector.pass()).examined);
    assert.ok(examined.every((n) => n <= 4), `examined per pass: ${examined.join(",")}`);
    assert.equal(files.files.size, 0, "seven passes of four cover all 25");
  });

  it("removes temp files of writes that never finished once they are past the grace period", async () => {
    const files = new MemoryBlobFiles();
    const oldTemp = ".0a1b2c3d-0000-4000-8000-000000000000.tmp";
    const newTemp = ".0a1b2c3d-0000-4000-8000-000000000001.tmp";
    files.put(oldTemp, NOW - 2 * HOUR, 50, "temp");
    files.put(newTemp, NOW, 50, "temp");
    const pass = await new BlobCollector({ blobs: files, referenced: () => new Set(), graceMs: HOUR, filesPerPass: 100, nowMs: () => NOW }).pass();
    assert.deepEqual({ temp: pass.tempFiles, bytes: pass.tempBytes }, { temp: 1, bytes: 50 });
    assert.deepEqual([...files.files.keys()], [newTemp]);
  });

  it("runs one pass at a time", async () => {
    const files = new MemoryBlobFiles();
    const collector = new BlobCollector({ blobs: files, referenced: () => new Set(), graceMs: HOUR, filesPerPass: 10, nowMs: () => NOW });
    assert.equal(collector.pass(), collector.pass());
  });
});
