// What holds a site's event loop while it handles one 12 MP upload, measured piece by piece in
// this process (each step runs synchronously in the site unless noted):
//   npx tsx bench/blocking-probe.ts
// Prints the median of each step over a few repetitions, and as a control the event-loop delay
// of this process doing nothing (the host's own scheduling delay). Used to explain the
// event-loop p99 in bench/results/latest.md.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance, monitorEventLoopDelay } from "node:perf_hooks";
import Database from "better-sqlite3";
import { BlobStore } from "../lib/engine/blob-store";
import { processUpload, montageLayout, MONTAGE_FULL } from "../lib/images";
import { PhotoSource } from "./lib/photos";
import { median } from "./lib/stats";

const REPEATS = 7;

/** Median wall time of `fn` (for a synchronous step: how long it holds the event loop). */
async function timeMedian(fn: () => unknown | Promise<unknown>): Promise<number> {
  const wall: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    await fn();
    wall.push(performance.now() - start);
  }
  return median(wall);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "groupshot-probe-"));
  try {
    const photo = await new PhotoSource().bytes(0);
    const processed = await processUpload(photo);
    const form = new FormData();
    form.append("photo", new Blob([photo], { type: "image/jpeg" }), "photo.jpg");
    const request = new Response(form);
    const contentType = request.headers.get("content-type") ?? "";
    const body = new Uint8Array(await request.arrayBuffer());
    const rows: Array<[string, number]> = [];

    rows.push([`multipart parse of a ${(body.length / 1e6).toFixed(1)} MB upload + file.arrayBuffer() (async, parsed in JS on the event loop)`, await timeMedian(async () => {
      const parsed = await new Response(body, { headers: { "content-type": contentType } }).formData();
      const file = parsed.get("photo");
      if (file instanceof File) await file.arrayBuffer();
    })]);
    let n = 0;
    rows.push([`BlobStore.write of the display image (${(processed.display.bytes.length / 1e3).toFixed(0)} kB: sha256, write, fsync, rename, fsync dir)`, await timeMedian(() => {
      const bytes = new Uint8Array(processed.display.bytes);
      bytes[bytes.length - 1] = n++ & 0xff; // a new blob each time
      new BlobStore(join(dir, "blobs")).write(bytes);
    })]);
    rows.push([`BlobStore.write of the tile (${(processed.tile.bytes.length / 1e3).toFixed(0)} kB)`, await timeMedian(() => {
      const bytes = new Uint8Array(processed.tile.bytes);
      bytes[bytes.length - 1] = n++ & 0xff;
      new BlobStore(join(dir, "blobs")).write(bytes);
    })]);
    const db = new Database(join(dir, "probe.db"));
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
    const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
    rows.push(["one durable SQLite commit (a protocol step)", await timeMedian(() => db.transaction(() => insert.run("x".repeat(500))).immediate())]);
    db.close();
    for (const photos of [10, 50]) {
      const layout = montageLayout(photos, MONTAGE_FULL);
      const cell = new Uint8Array((layout.cells[0]?.widthPx ?? 1) * (layout.cells[0]?.heightPx ?? 1) * 3);
      rows.push([`montage canvas of ${photos} photos (${layout.widthPx}×${layout.heightPx}): alloc + row copies, on the event loop`, await timeMedian(() => {
        const canvas = Buffer.alloc(layout.widthPx * layout.heightPx * 3, 236);
        for (const c of layout.cells) {
          const rowBytes = c.widthPx * 3;
          for (let y = 0; y < c.heightPx; y++) canvas.set(cell.subarray(0, rowBytes), ((c.topPx + y) * layout.widthPx + c.leftPx) * 3);
        }
      })]);
    }
    // The host's own scheduling delay: this process's event loop while it sleeps.
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    idle.disable();
    rows.push(["control: this process idle for 3 s, event-loop delay p99 (the host's own scheduling delay)", idle.percentile(99) / 1e6]);

    console.log("| step (synchronous in a site unless noted) | median ms |\n|---|---|");
    for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(1)} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
