// Add-photo with 12-megapixel JPEGs: latency at c=1 and c=16 (each upload into its own fresh
// event, spread over the four sites), split into image processing (processUpload on the same
// bytes, timed in the bench process) and protocol time (the rest: multipart, blob writes and
// transfers, 2PC); then one event filled from 1 to 50 photos, timing each upload and the
// montage refresh after it (from the upload's answer until GET montage?v=N answers).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { processUpload } from "../../lib/images";
import { sharp } from "../../lib/images/sharp-settings";
import { DISPLAY_JPEG_QUALITY, DISPLAY_MAX_EDGE_PX, TILE_EDGE_PX, TILE_JPEG_QUALITY } from "../../lib/images/image-sizes";
import { summarize, median, type Summary } from "../lib/stats";
import type { BenchCluster } from "../lib/cluster";
import { photoTile, type SiteClient } from "../lib/client";
import { runClosedLoop } from "../lib/load";
import type { PhotoSource } from "../lib/photos";
import { PhaseSampler, sitesCpuMs, type PhaseResources } from "../lib/resources";
import { deadlineIn, pastDeadline, untilCommitted, type BenchContext, type Counters } from "../context";
import { BENCH_UPLOAD_LIMITS, measureHeicCost, measureReplicationFloor, type HeicCost, type ReplicationFloor } from "./upload-baselines";

export type UploadRun = {
  concurrency: number;
  latencyMs: Summary;
  /** processUpload in the bench process, one at a time, on this run's photos (c=1) or the c=1 photos (c=16). */
  processingMs: Summary;
  /**
   * API latency minus processing: per upload at c=1 (same bytes); at c=16 each latency minus the
   * sequential processing median — an upper bound, since processing also slows down under load.
   */
  protocolMs: Summary;
  pendingAnswers: number;
  failures: number;
  /** Uploads committed ÷ wall time of the run. */
  photosPerSecond: number;
  /** CPU the four sites used (user + system, every thread) ÷ uploads committed. */
  cpuMsPerPhoto: number | null;
  resources: PhaseResources;
};
export type RampPoint = { photos: number; uploadMs: number; refreshMs: number; siteId: string };
export type PhotosResult = {
  /**
   * The upload-processing peer: sharp alone making the same two outputs from the same bytes (a
   * display image and a tile, same sizes, fit and JPEG settings), one pass each with libvips'
   * shrink-on-load, same thread settings, nothing else (no sniffing, header check, orientation,
   * colour conversion or hashing); one photo at a time in the bench process, like processingMs.
   */
  sharpFloorMs: Summary;
  /** The c=1 photos' stored bytes written once durably and sent once to three peers over loopback (upload-baselines.ts). */
  replicationFloor: ReplicationFloor;
  /** processUpload of a 12 MP HEIC against the same photo as JPEG. */
  heic: HeicCost;
  c1: UploadRun;
  c16: UploadRun;
  ramp: { target: number; points: RampPoint[]; resources: PhaseResources };
  /** Originals and tiles of the ramp's first photos, for the montage comparison. */
  montageInputs: { originals: string[]; tilesDir: string; tileFiles: string[] };
};

export async function measurePhotos(
  ctx: BenchContext,
  cluster: BenchCluster,
  clients: SiteClient[],
  photos: PhotoSource,
  sizes: { c1: number; c16: number; ramp: number; budgetMs: number; heifEnc: boolean },
): Promise<PhotosResult> {
  let next = 0;
  const take = (count: number) => Array.from({ length: count }, () => next++);
  const c1Photos = take(sizes.c1);
  // Image processing alone, in this process, with the cluster idle: the c=1 photos, one at a time.
  const { processing: processingMs, floor, stored } = await processingAndFloorTimes(photos, c1Photos);
  const sharpFloorMs = summarize(floor);
  const replicationFloor = await measureReplicationFloor(ctx, stored, 2);
  const heic = await measureHeicCost({ jpegPath: await photos.path(0), repeats: ctx.quick ? 2 : 4, heifEnc: sizes.heifEnc });
  const c1 = await uploadRun(ctx, cluster, clients, photos, { concurrency: 1, indexes: c1Photos, processingMs, budgetMs: sizes.budgetMs * 0.2 });
  const c16 = await uploadRun(ctx, cluster, clients, photos, { concurrency: 16, indexes: take(sizes.c16), processingMs, budgetMs: sizes.budgetMs * 0.3 });
  const ramp = await fillOneEvent(ctx, cluster, clients, photos, { indexes: take(sizes.ramp), deadline: deadlineIn(sizes.budgetMs * 0.5), minimum: Math.min(10, sizes.ramp) });
  return { sharpFloorMs, replicationFloor, heic, c1, c16, ramp: { target: sizes.ramp, points: ramp.points, resources: ramp.resources }, montageInputs: ramp.montageInputs };
}

/**
 * processUpload and sharp's two-pass floor on the same photos, one at a time, interleaved (the
 * order alternating per photo) so that both see the same host; one untimed warm-up of each first.
 */
async function processingAndFloorTimes(photos: PhotoSource, indexes: number[]): Promise<{ processing: number[]; floor: number[]; stored: Uint8Array[][] }> {
  const processing: number[] = [];
  const floor: number[] = [];
  const stored: Uint8Array[][] = [];
  const time = async (fn: () => Promise<unknown>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  const processKept = async (bytes: Uint8Array) => {
    const out = await processUpload(bytes, BENCH_UPLOAD_LIMITS);
    stored.push([out.original.bytes, out.display.bytes, out.tile.bytes]);
  };
  const first = await photos.bytes(indexes[0] ?? 0);
  await processUpload(first, BENCH_UPLOAD_LIMITS);
  await sharpTwoPass(first);
  for (const [n, i] of indexes.entries()) {
    const bytes = await photos.bytes(i);
    if (n % 2 === 0) {
      processing.push(await time(() => processKept(bytes)));
      floor.push(await time(() => sharpTwoPass(bytes)));
    } else {
      floor.push(await time(() => sharpTwoPass(bytes)));
      processing.push(await time(() => processKept(bytes)));
    }
  }
  return { processing, floor, stored };
}

async function sharpTwoPass(bytes: Uint8Array): Promise<void> {
  await sharp(bytes).resize({ width: DISPLAY_MAX_EDGE_PX, height: DISPLAY_MAX_EDGE_PX, fit: "inside", withoutEnlargement: true }).jpeg({ quality: DISPLAY_JPEG_QUALITY, progressive: true }).toBuffer();
  await sharp(bytes).resize({ width: TILE_EDGE_PX, height: TILE_EDGE_PX, fit: "cover", position: "attention" }).jpeg({ quality: TILE_JPEG_QUALITY }).toBuffer();
}

async function uploadRun(
  ctx: BenchContext,
  cluster: BenchCluster,
  clients: SiteClient[],
  photos: PhotoSource,
  options: { concurrency: number; indexes: number[]; processingMs: number[]; budgetMs: number },
): Promise<UploadRun> {
  const label = `add-photo c=${options.concurrency}`;
  const bytes = await Promise.all(options.indexes.map((i) => photos.bytes(i)));
  const sequentialMedian = median(options.processingMs);
  const processingOf = (i: number) => (options.concurrency === 1 ? (options.processingMs[i] ?? sequentialMedian) : sequentialMedian);
  const counters = { pending: 0, aborted: 0 };
  const events: string[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const client = clients[i % clients.length] as SiteClient;
    const answer = await client.createEvent(`${label} event ${i}`);
    if (answer.status !== 201) await client.waitDecided(answer.body.txId);
    events.push(answer.body.eventId);
  }
  const latencyMs: number[] = new Array<number>(bytes.length).fill(Number.NaN);
  const sampler = await PhaseSampler.start(cluster, label);
  // The first wave of `concurrency` uploads always starts; the budget only stops later ones.
  const run = await runClosedLoop({
    total: bytes.length,
    concurrency: options.concurrency,
    deadline: deadlineIn(options.budgetMs),
    op: async (i) => {
      const client = clients[i % clients.length] as SiteClient;
      latencyMs[i] = await uploadCommitted(client, events[i] ?? "", bytes[i] as Uint8Array<ArrayBuffer>, counters);
      return latencyMs[i] ?? 0;
    },
  });
  const resources = await sampler.stop();
  const done = latencyMs.map((ms, i) => ({ ms, processing: processingOf(i) })).filter((x) => Number.isFinite(x.ms));
  if (done.length < bytes.length) ctx.notes.push(`${label}: ${done.length} of ${bytes.length} uploads ran within the budget`);
  const cpu = sitesCpuMs(resources);
  return {
    concurrency: options.concurrency,
    latencyMs: summarize(done.map((x) => x.ms)),
    processingMs: summarize(options.processingMs),
    protocolMs: summarize(done.map((x) => x.ms - x.processing)),
    pendingAnswers: counters.pending,
    failures: run.failures.length,
    photosPerSecond: (done.length * 1000) / run.wallMs,
    cpuMsPerPhoto: cpu === null || done.length === 0 ? null : cpu / done.length,
    resources,
  };
}

function uploadCommitted(client: SiteClient, eventId: string, bytes: Uint8Array<ArrayBuffer>, counters: Counters): Promise<number> {
  return untilCommitted("add-photo", client, () => client.addPhoto(eventId, bytes), counters);
}

async function fillOneEvent(
  ctx: BenchContext,
  cluster: BenchCluster,
  clients: SiteClient[],
  photos: PhotoSource,
  options: { indexes: number[]; deadline: number; minimum: number },
): Promise<{ points: RampPoint[]; resources: PhaseResources; montageInputs: PhotosResult["montageInputs"] }> {
  const home = clients[0] as SiteClient;
  const counters = { pending: 0, aborted: 0 };
  const created = await home.createEvent("ramp: 1 to 50 photos");
  if (created.status !== 201) await home.waitDecided(created.body.txId);
  const eventId = created.body.eventId;
  const tilesDir = join(ctx.root, "montage", "tiles");
  mkdirSync(tilesDir, { recursive: true });
  const originals: string[] = [];
  const tileFiles: string[] = [];
  const points: RampPoint[] = [];
  const sampler = await PhaseSampler.start(cluster, "add-photo 1 to 50 in one event");
  for (const [n, index] of options.indexes.entries()) {
    if (pastDeadline(options.deadline) && n >= options.minimum) break; // the montage comparison needs `minimum`
    const client = clients[n % clients.length] as SiteClient;
    const start = performance.now();
    const answer = await client.addPhoto(eventId, await photos.bytes(index));
    let version = answer.body.montageVersion;
    if (answer.status !== 201 || version === null) {
      counters.pending += 1;
      await client.waitDecided(answer.body.txId);
      version = n + 1;
    }
    const uploadMs = performance.now() - start;
    const refresh = await client.montage(eventId, version);
    points.push({ photos: version, uploadMs, refreshMs: refresh.ms, siteId: client.siteId });
    originals.push(await photos.path(index));
    const tile = await photoTile(client, answer.body.photoId);
    const tileFile = join(tilesDir, `${answer.body.photoId}.jpg`);
    writeFileSync(tileFile, tile);
    tileFiles.push(tileFile);
    if (version === 1 || version % 10 === 0) ctx.log(`  ramp: ${version} photos, upload ${uploadMs.toFixed(0)} ms, montage refresh ${refresh.ms.toFixed(0)} ms`);
  }
  const resources = await sampler.stop();
  if (points.length < options.indexes.length) ctx.notes.push(`ramp: reached ${points.length} of ${options.indexes.length} photos within the budget`);
  return { points, resources, montageInputs: { originals, tilesDir, tileFiles } };
}

/** Median of the refresh times of the ramp points around `photos` (that one, and its neighbours). */
export function refreshNear(points: readonly RampPoint[], photos: number): number | null {
  const near = points.filter((p) => Math.abs(p.photos - photos) <= 1).map((p) => p.refreshMs);
  return near.length === 0 ? null : median(near);
}
