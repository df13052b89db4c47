// The whole benchmark, in the order that keeps each measurement clean: the floor before any
// site runs; one four-site cluster for growth, latency, uploads and recovery; a one-site cluster
// for the throughput baseline; the montage comparison with no site running. Every phase has
// a size and a time budget, so a busy host shortens a phase (and says so) instead of running long.
import { execFileSync } from "node:child_process";
import { cpus, loadavg, totalmem, release } from "node:os";
import { performance } from "node:perf_hooks";
import { resolve } from "node:path";
import { measureFloor } from "./floor";
import { measurePostgresPeer } from "./peers/postgres-xa";
import { z } from "zod";
import { callPeer } from "../lib/internal/peer-client";
import { BENCH_SITE_ENV, BenchCluster, rssMb, type BenchSite } from "./lib/cluster";
import { SiteClient, health, sleep } from "./lib/client";
import { timeEach, type Summary } from "./lib/stats";
import { PhotoSource } from "./lib/photos";
import { PhaseSampler, type PhaseResources } from "./lib/resources";
import { measureGrowth, type BulkSegment } from "./phases/growth";
import { measureCreateEvent } from "./phases/create-event";
import { measureEngineLevel } from "./phases/engine-level";
import { measurePhotos } from "./phases/photos";
import { measureBigEvent } from "./phases/big-event";
import { measureMontage } from "./phases/montage";
import { measureRecovery, converge } from "./phases/recovery";
import { measureStartupHistory } from "./phases/startup-history";
import { evaluateTargets, type BenchResults, type Machine } from "./report";
import type { BenchContext } from "./context";

/** Events created to warm up each cluster (JIT, connections) before anything is timed. */
const WARM_UP_EVENTS = 20;

export type RunOptions = BenchContext & { imagemagick: boolean; heifEnc: boolean; build: BenchResults["build"]; siteEnv: Record<string, string> };

const repoRoot = resolve(__dirname, "..");

/**
 * Sizes and nominal time budgets (ms) of each phase. `totalMs` bounds the run: the budgets are
 * scaled down to what is left after the fixed costs (site starts, recovery, ImageMagick), so a
 * busy host shortens phases — and the report says so — instead of running long.
 */
export function plan(quick: boolean) {
  return quick
    ? {
        totalMs: 100_000,
        fixedMs: { recovery: 30_000, single: 10_000, montage: 20_000 },
        floor: { roundTrips: 500, commits: 200 },
        // A short growth curve; its segment from ~100 events (past the sites' cold start) is the throughput figure.
        growth: { checkpoints: [21, 100, 250], samplePerCheckpoint: 10, budgetMs: 14_000 },
        throughputFromEvents: 100,
        createEvent: { c1: 40, c16: 160, budgetMs: 8_000 },
        peer: { c1: 100, c16: 400, warmUp: 50, budgetMs: 10_000 },
        photos: { c1: 2, c16: 16, ramp: 10, budgetMs: 35_000 },
        bigEvent: { photos: 200, budgetMs: 15_000 },
        single: { checkpoints: [21, 100, 250], budgetMs: 6_000 },
        montage: { sizes: [10], buildRepeats: 3, noHintUpTo: 0 },
        recovery: { inDoubt: 16, backlog: 0, downMs: 3_000 },
      }
    : {
        totalMs: 570_000,
        fixedMs: { recovery: 70_000, single: 15_000, montage: 100_000 },
        floor: { roundTrips: 2_000, commits: 500 },
        growth: { checkpoints: [21, 100, 1_000, 2_500, 5_000, 10_000], samplePerCheckpoint: 30, budgetMs: 170_000 },
        throughputFromEvents: 100,
        createEvent: { c1: 300, c16: 1_600, budgetMs: 50_000 },
        peer: { c1: 300, c16: 1_600, warmUp: 100, budgetMs: 30_000 },
        photos: { c1: 12, c16: 32, ramp: 50, budgetMs: 140_000 },
        bigEvent: { photos: 2_000, budgetMs: 100_000 },
        single: { checkpoints: [100, 1_000], budgetMs: 40_000 },
        montage: { sizes: [10, 50], buildRepeats: 5, noHintUpTo: 10 },
        recovery: { inDoubt: 64, backlog: 200, downMs: 6_000 },
      };
}

/** Site settings the bench changes from the defaults, besides BENCH_SITE_ENV's photo limits (none: measure what ships). */
const SITE_ENV: Record<string, string> = {};

export async function runBench(options: RunOptions): Promise<BenchResults> {
  const ctx: BenchContext = options;
  const sizes = plan(options.quick);
  const startedAt = new Date();
  const t0 = performance.now();
  const loadAverageStart = loadavg();

  const photos = new PhotoSource();
  const photoCount = sizes.photos.c1 + sizes.photos.c16 + sizes.photos.ramp;
  ctx.log(`photos: ${photoCount} distinct 12 MP JPEGs (cached under bench/results/tmp) ...`);
  const made = await photos.prepare(photoCount);
  if (made > 0) ctx.log(`  generated ${made}`);

  ctx.log("floor: loopback round trip (R) and durable SQLite commit (F) ...");
  const floor = await measureFloor({ dir: options.root, ...sizes.floor, processes: options.processes });
  ctx.log(`  R ${floor.roundTripHttpMs.p50.toFixed(2)} ms, F ${floor.commitMs.p50.toFixed(2)} ms, floor ${floor.floorMs.toFixed(2)} ms`);

  // Before any site runs, and stopped before they start: the peer and the sites never share the host.
  ctx.log("peer: PostgreSQL XA (a Node coordinator, four PostgreSQL clusters) ...");
  const postgres = await measurePostgresPeer(ctx, sizes.peer);
  if (!("skipped" in postgres)) ctx.log(`  c=1 ack p50 ${postgres.c1.ackMs.p50.toFixed(1)} ms, c=16 ack p50 ${postgres.c16.ackMs.p50.toFixed(1)} ms, ${postgres.c16.committedPerSecond.toFixed(0)} tx/s`);

  ctx.log("cluster: four sites ...");
  const env = { ...SITE_ENV, ...options.siteEnv };
  const changed = Object.entries({ ...SITE_ENV, ...BENCH_SITE_ENV }).map(([k, v]) => `${k}=${v}`);
  ctx.notes.push(`Sites run with the default configuration except ${changed.join(", ")} (one bench user fills an event with 2,000 photos); every latency is the time until the transaction is decided (a 202 "pending" answer is followed until the outcome). The growth curve starts after ${WARM_UP_EVENTS} warm-up events.`);
  const cluster = await BenchCluster.start({ name: "four-sites", count: 4, root: options.root, processes: options.processes, env });
  const phases: PhaseResources[] = [];
  const runDeadline = t0 + sizes.totalMs;
  const fixed = sizes.fixedMs.recovery + sizes.fixedMs.single + sizes.fixedMs.montage;
  const nominal = sizes.growth.budgetMs + 2 * sizes.createEvent.budgetMs + sizes.photos.budgetMs + sizes.bigEvent.budgetMs + sizes.single.budgetMs;
  const scale = Math.max(0.2, Math.min(1, (runDeadline - performance.now() - fixed) / nominal));
  if (scale < 1) ctx.notes.push(`phase budgets scaled to ${Math.round(scale * 100)} % to keep the run within ${sizes.totalMs / 1000} s (slow start on a busy host)`);
  const budget = (ms: number) => Math.round(ms * scale);
  try {
    const first = await SiteClient.join("s0", cluster.site("s0").url, "Bench");
    const clients = cluster.sites.map((s) => first.on(s.siteId, s.url));
    for (let i = 0; i < WARM_UP_EVENTS; i++) await clients[i % clients.length]?.createEvent(`warm-up ${i}`);
    const nextHop = await measureNextHop(clients, options.quick ? 100 : 300);
    const internalHop = await measureInternalHop(cluster, options.quick ? 100 : 300);
    const idle = await PhaseSampler.start(cluster, "idle (heartbeats only)");
    await sleep(options.quick ? 2_000 : 5_000);
    phases.push(await idle.stop());
    const idleRssMb = Object.fromEntries(cluster.sites.map((s) => [s.siteId, rssMb(s.process.pid)]));

    ctx.log(`growth: 1 → ${sizes.growth.checkpoints.at(-1)} events ...`);
    const growth = await measureGrowth(ctx, cluster, clients, { ...sizes.growth, budgetMs: budget(sizes.growth.budgetMs), label: "four sites", initialEvents: WARM_UP_EVENTS });

    ctx.log("create-event latency, c=1 and c=16 ...");
    const createEvent = await measureCreateEvent(ctx, cluster, clients, { ...sizes.createEvent, budgetMs: budget(sizes.createEvent.budgetMs) });
    phases.push(createEvent.c1.resources, createEvent.c16.resources);
    ctx.log(`  c=1 p50 ${createEvent.c1.latencyMs.p50.toFixed(1)} ms, c=16 p50 ${createEvent.c16.latencyMs.p50.toFixed(1)} ms, ${createEvent.c16.committedPerSecond.toFixed(0)} tx/s`);

    ctx.log("engine-level create-event (below the web framework), c=1 and c=16 ...");
    const engineLevel = await measureEngineLevel(ctx, cluster, clients, { ...sizes.createEvent, budgetMs: budget(sizes.createEvent.budgetMs) });
    phases.push(engineLevel.c1.resources, engineLevel.c16.resources);
    ctx.log(`  c=1 p50 ${engineLevel.c1.latencyMs.p50.toFixed(1)} ms, c=16 p50 ${engineLevel.c16.latencyMs.p50.toFixed(1)} ms, ${engineLevel.c16.committedPerSecond.toFixed(0)} tx/s`);

    ctx.log("add-photo (12 MP): c=1, c=16, one event 1 → 50 ...");
    const photoResult = await measurePhotos(ctx, cluster, clients, photos, { ...sizes.photos, budgetMs: budget(sizes.photos.budgetMs), heifEnc: options.heifEnc });
    phases.push(photoResult.c1.resources, photoResult.c16.resources, photoResult.ramp.resources);
    ctx.log(`big event: one event grown to ${sizes.bigEvent.photos} photos, looked at beside 20 ...`);
    const bigEvent = await measureBigEvent(ctx, cluster, clients, { ...sizes.bigEvent, budgetMs: budget(sizes.bigEvent.budgetMs) });
    await converge(cluster).catch(() => ctx.notes.push("the four sites had not converged before the recovery scenarios"));

    // With the four sites up but idle: the same host conditions as the refreshes just measured.
    ctx.log("montage: ours vs ImageMagick ...");
    const { montageInputs, ...photosOut } = photoResult;
    const montage = await measureMontage(ctx, { ...montageInputs, ramp: photoResult.ramp.points }, { ...sizes.montage, imagemagick: options.imagemagick, deadline: runDeadline - sizes.fixedMs.recovery - sizes.fixedMs.single });

    ctx.log("recovery ...");
    const recovery = await measureRecovery(ctx, cluster, clients, { ...sizes.recovery, deadline: runDeadline - sizes.fixedMs.single });
    const results = {
      schema: 1 as const,
      mode: options.quick ? ("quick" as const) : ("full" as const),
      startedAt: startedAt.toISOString(),
      git: gitState(),
      build: options.build,
      floor,
      peers: { postgres },
      growth,
      createEvent,
      engineLevel,
      photos: photosOut,
      bigEvent,
      recovery,
      resources: { idleRssMb, phases },
      references: { nextHopMs: nextHop, internalHopMs: internalHop, singleSiteCreateC1Ms: null as Summary | null },
      notes: ctx.notes,
    };
    await cluster.stop();

    ctx.log("throughput baseline: a one-site cluster ...");
    const single = await BenchCluster.start({ name: "one-site", count: 1, root: options.root, processes: options.processes, env });
    let singleSegment: BenchResults["throughput"]["singleSite"] = null;
    try {
      const client = await SiteClient.join("s0", single.site("s0").url, "Bench");
      for (let i = 0; i < WARM_UP_EVENTS; i++) await client.createEvent(`warm-up ${i}`);
      const singleGrowth = await measureGrowth(ctx, single, [client], { checkpoints: sizes.single.checkpoints, samplePerCheckpoint: options.quick ? 15 : 30, budgetMs: budget(sizes.single.budgetMs), label: "one site", initialEvents: WARM_UP_EVENTS });
      singleSegment = throughputSegment(singleGrowth.segments, sizes.throughputFromEvents);
      results.references.singleSiteCreateC1Ms = singleGrowth.checkpoints[0]?.latencyMs ?? null;
    } finally {
      await single.stop();
    }
    await measureStartupHistory(ctx, { transactions: options.quick ? 10_000 : 100_000, repeats: options.quick ? 2 : 3 }, env);
    const replicated = throughputSegment(growth.segments, sizes.throughputFromEvents);


    const partial = {
      ...results,
      throughput: {
        baseline:
          "the same build and API as a one-site cluster (SITES lists only itself): every create-event is still a durable 2PC transaction with one participant (same route, session, validation, SQLite log and fsyncs), so the ratio prices replication alone — three more participants, their network round trips and their fsyncs.",
        replicated,
        singleSite: singleSegment,
        ratio: replicated && singleSegment ? replicated.committedPerSecond / singleSegment.committedPerSecond : null,
      },
      montage,
      runtimeMs: performance.now() - t0,
      machine: machine(loadAverageStart),
    };
    return { ...partial, targets: evaluateTargets(partial) };
  } finally {
    await cluster.stop();
  }
}

/**
 * GET /api/health round trips to one site (kept-alive node:http, one at a time, after a warm-up):
 * what one Next.js route costs on this host, with no work in it.
 */
function measureNextHop(clients: SiteClient[], count: number): Promise<Summary> {
  const url = (clients[0] as SiteClient).url;
  return timeEach(count, () => health(url), 50);
}

/**
 * Signed POST /api/internal/ping round trips (keep-alive, one at a time, through the sites' own
 * peer client): the hop every 2PC message takes, served by node:http without Next.js.
 */
function measureInternalHop(cluster: BenchCluster, count: number): Promise<Summary> {
  const body = new TextEncoder().encode("{}");
  return timeEach(count, (i) => {
    const peer = cluster.sites[i % cluster.sites.length] as BenchSite;
    const sender = peer.siteId === "s0" ? "s1" : "s0";
    return callPeer({ siteId: sender, secret: cluster.siteSecret }, { peer, path: "/api/internal/ping", body, timeoutMs: 5_000, answer: z.unknown() });
  });
}

/** The bulk segment that starts at about `fromEvents` events (the same range on both clusters). */
function throughputSegment(segments: BulkSegment[], fromEvents: number): BulkSegment | null {
  return segments.find((s) => s.fromEvents >= fromEvents - 10 && s.committed > 0) ?? null;
}

function machine(loadAverageStart: number[]): Machine {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryMb: Math.round(totalmem() / (1024 * 1024)),
    node: process.version,
    os: `Linux ${release()}`,
    loadAverageStart,
    loadAverageEnd: loadavg(),
  };
}

function gitState(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: repoRoot, encoding: "utf8" }).trim() !== "";
    return { commit, dirty };
  } catch {
    return { commit: "unknown", dirty: false };
  }
}
