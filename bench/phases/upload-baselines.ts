// Same-run baselines for an upload, in the bench process with the sites idle:
// - replication's floor: the bytes a site keeps of a photo (its original, display image and
//   tile, as processUpload makes them) written once durably (one file, one fsync) and then sent
//   once to each of three peers over loopback in parallel (node:http keep-alive PUTs to echo
//   processes that read them to the end). What the rest of an upload (multipart, blob writes and
//   transfers to every site, 2PC) must cost at the least;
// - HEIC: processUpload on a 12 MP HEIC (the bench's first photo re-encoded by Debian's heif-enc,
//   cached) against the same photo as the JPEG it came from, interleaved one at a time.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { open } from "node:fs/promises";
import { Agent, request } from "node:http";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { processUpload } from "../../lib/images";
import { startEchoServer } from "../floor";
import { summarize, type Summary } from "../lib/stats";
import type { BenchContext } from "../context";

export type ReplicationFloor = { ms: Summary; peers: number; bytesPerPhoto: number };
export type HeicCost = { jpegMs: Summary; heicMs: Summary; heicBytes: number; jpegBytes: number; ratio: number } | { skipped: string };

/** The same limits as the sites' defaults, with room for 12 MP. */
export const BENCH_UPLOAD_LIMITS = { maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000, minEdgePx: 16 };
const PEERS = 3;

/** `stored[i]`: the blobs a site keeps for photo i. Each photo written and sent `repeats` times. */
export async function measureReplicationFloor(ctx: BenchContext, stored: Uint8Array[][], repeats: number): Promise<ReplicationFloor> {
  const echoes = await Promise.all(Array.from({ length: PEERS }, () => startEchoServer(ctx.processes)));
  const agent = new Agent({ keepAlive: true, maxSockets: PEERS });
  const dir = join(ctx.root, "replication-floor");
  mkdirSync(dir, { recursive: true });
  try {
    const once = async (blobs: Uint8Array[], n: number): Promise<number> => {
      const start = performance.now();
      const file = await open(join(dir, `photo-${n}`), "w");
      try {
        for (const blob of blobs) await file.write(blob);
        await file.sync();
      } finally {
        await file.close();
      }
      const body = Buffer.concat(blobs);
      await Promise.all(echoes.map((echo) => put(agent, echo.url, body)));
      return performance.now() - start;
    };
    const first = stored[0];
    if (first) await once(first, -1); // connections and JIT
    const samples: number[] = [];
    for (let r = 0; r < repeats; r++) for (const [i, blobs] of stored.entries()) samples.push(await once(blobs, r * stored.length + i));
    const bytes = stored.reduce((t, blobs) => t + blobs.reduce((u, b) => u + b.byteLength, 0), 0);
    return { ms: summarize(samples), peers: PEERS, bytesPerPhoto: stored.length === 0 ? 0 : Math.round(bytes / stored.length) };
  } finally {
    agent.destroy();
    for (const echo of echoes) echo.stop();
  }
}

function put(agent: Agent, url: string, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "PUT", agent, headers: { "content-type": "application/octet-stream", "content-length": body.byteLength } }, (res) => {
      res.on("data", () => undefined);
      res.on("end", () => resolve());
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** processUpload of the same 12 MP photo as HEIC and as JPEG, `repeats` each, interleaved. */
export async function measureHeicCost(options: { jpegPath: string; repeats: number; heifEnc: boolean }): Promise<HeicCost> {
  if (!options.heifEnc) return { skipped: "Debian's heif-enc (libheif-examples) is not installed and the bench is not running as root" };
  const heicPath = options.jpegPath.replace(/\.jpg$/, ".heic");
  if (!existsSync(heicPath)) {
    mkdirSync(dirname(heicPath), { recursive: true });
    const made = spawnSync("heif-enc", ["-q", "85", options.jpegPath, "-o", `${heicPath}.tmp.heic`], { encoding: "utf8", timeout: 300_000 });
    if (made.status !== 0) return { skipped: `heif-enc failed: ${(made.stderr || made.error?.message || "").slice(0, 200)}` };
    renameSync(`${heicPath}.tmp.heic`, heicPath);
  }
  const jpeg = new Uint8Array(readFileSync(options.jpegPath));
  const heic = new Uint8Array(readFileSync(heicPath));
  const time = async (bytes: Uint8Array) => {
    const start = performance.now();
    await processUpload(bytes, BENCH_UPLOAD_LIMITS);
    return performance.now() - start;
  };
  await time(jpeg);
  await time(heic); // the decoder's worker and wasm start
  const jpegMs: number[] = [];
  const heicMs: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    jpegMs.push(await time(jpeg));
    heicMs.push(await time(heic));
  }
  const [j, h] = [summarize(jpegMs), summarize(heicMs)];
  return { jpegMs: j, heicMs: h, heicBytes: heic.byteLength, jpegBytes: jpeg.byteLength, ratio: h.p50 / j.p50 };
}
