// One event grown to 2,000 photos (200 with --quick) through the public API — small distinct
// JPEGs (320 × 240, one colour each, 16 levels a channel apart so that none is a duplicate) uploaded one at a time over the four
// sites by one user (changes of one event are serialized: 16 at once are refused as busy) — and what it then costs to look at, beside the same event at 20 photos:
// GET /api/events/:id (the event's JSON) and GET /e/:id (the page's HTML), each timed one request
// at a time over a kept-alive connection at the home site (p50 of 10) with its size in bytes,
// and the montage refresh (GET montage?v=N, built on first request) once.
import { performance } from "node:perf_hooks";
import { sharp } from "../../lib/images/sharp-settings";
import type { BenchCluster } from "../lib/cluster";
import type { SiteClient } from "../lib/client";
import { httpJson } from "../lib/http-json";
import { runClosedLoop } from "../lib/load";
import { summarize, type Summary } from "../lib/stats";
import { deadlineIn, untilCommitted, type BenchContext } from "../context";

export type EventSizePoint = { photos: number; jsonMs: Summary; jsonBytes: number; pageMs: Summary; pageBytes: number; montageMs: number | null };
export type BigEventResult = { target: number; reached: number; uploadsPerSecond: number; points: EventSizePoint[] };

const SMALL_POINT = 20;
const READS = 10;
const MONTAGE_TIMEOUT_MS = 60_000;

export async function measureBigEvent(ctx: BenchContext, cluster: BenchCluster, clients: SiteClient[], options: { photos: number; budgetMs: number }): Promise<BigEventResult> {
  const home = clients[0] as SiteClient;
  const created = await home.createEvent(`${options.photos} photos`);
  if (created.status !== 201) await home.waitDecided(created.body.txId);
  const eventId = created.body.eventId;
  const counters = { pending: 0, aborted: 0 };
  const points: EventSizePoint[] = [];
  let uploaded = 0;
  let uploadMs = 0;
  const deadline = deadlineIn(options.budgetMs);
  for (const size of [SMALL_POINT, options.photos]) {
    const wanted = size - uploaded;
    const start = performance.now();
    const run = await runClosedLoop({
      total: wanted,
      concurrency: 1,
      deadline,
      op: async (i) => {
        const n = uploaded + i;
        const client = clients[n % clients.length] as SiteClient;
        const bytes = await smallPhoto(n);
        return untilCommitted("add-photo", client, () => client.addPhoto(eventId, bytes), counters);
      },
    });
    uploadMs += performance.now() - start;
    uploaded += run.latenciesMs.length;
    if (run.failures.length > 0) ctx.notes.push(`big event: ${run.failures.length} uploads failed, e.g. ${run.failures[0]?.slice(0, 200) ?? ""}`);
    if (run.latenciesMs.length < wanted) ctx.notes.push(`big event: ${uploaded} of ${options.photos} photos uploaded within the ${Math.round(options.budgetMs / 1000)} s budget`);
    ctx.log(`  big event: ${uploaded} photos`);
    if (uploaded > (points.at(-1)?.photos ?? 0)) points.push(await lookAt(ctx, home, eventId, uploaded));
    if (uploaded < size) break;
  }
  return { target: options.photos, reached: uploaded, uploadsPerSecond: (uploaded * 1000) / uploadMs, points };
}

async function lookAt(ctx: BenchContext, client: SiteClient, eventId: string, photos: number): Promise<EventSizePoint> {
  const headers = { cookie: client.cookieHeader() };
  const timed = async (path: string) => {
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i <= READS; i++) {
      const answer = await httpJson(`${client.url}${path}`, { headers, timeoutMs: 60_000 });
      if (answer.status !== 200) throw new Error(`GET ${path}: HTTP ${answer.status}`);
      if (i > 0) ms.push(answer.ms); // the first one warms caches
      bytes = answer.bytes;
    }
    return { ms: summarize(ms), bytes };
  };
  const json = await timed(`/api/events/${eventId}`);
  const page = await timed(`/e/${eventId}`);
  let montageMs: number | null = null;
  try {
    montageMs = (await Promise.race([client.montage(eventId, photos), new Promise<never>((_, no) => setTimeout(() => no(new Error(`no answer within ${MONTAGE_TIMEOUT_MS} ms`)), MONTAGE_TIMEOUT_MS).unref())])).ms;
  } catch (error) {
    ctx.notes.push(`big event: the montage of ${photos} photos failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { photos, jsonMs: json.ms, jsonBytes: json.bytes, pageMs: page.ms, pageBytes: page.bytes, montageMs };
}

/**
 * Photo `n` (n < 4,096): 320 × 240 in one colour of its own, a baseline JPEG of ~2 kB. Colours
 * 16 levels apart per channel: neighbours one level apart encode to the same display image and
 * tile, which the site answers as a duplicate of the first.
 */
function smallPhoto(n: number): Promise<Uint8Array<ArrayBuffer>> {
  const colour = { r: (n % 16) * 16 + 8, g: (Math.floor(n / 16) % 16) * 16 + 8, b: (Math.floor(n / 256) % 16) * 16 + 8 };
  return sharp({ create: { width: 320, height: 240, channels: 3, background: colour } })
    .jpeg({ quality: 80 })
    .toBuffer()
    .then((b) => new Uint8Array(b));
}
