// Latency as the cluster fills up: events are created in bulk (c=32, spread over the sites)
// and at each checkpoint a sample of creates runs one at a time. The bulk segment between two
// checkpoints doubles as the throughput measurement (committed transactions per second).
import { performance } from "node:perf_hooks";
import { summarize, type Summary } from "../lib/stats";
import { cpuMs as cpuOf, type BenchCluster } from "../lib/cluster";
import type { SiteClient } from "../lib/client";
import { runClosedLoop } from "../lib/load";
import { createCommitted, deadlineIn, pastDeadline, type BenchContext } from "../context";

export type Checkpoint = { events: number; latencyMs: Summary };
export type BulkSegment = { fromEvents: number; toEvents: number; concurrency: number; committed: number; wallMs: number; committedPerSecond: number; pendingAnswers: number; cpuMsPerTransaction: number | null };
export type GrowthResult = { target: number; reached: number; checkpoints: Checkpoint[]; segments: BulkSegment[] };

export const BULK_CONCURRENCY = 32;

export async function measureGrowth(
  ctx: BenchContext,
  cluster: BenchCluster,
  clients: SiteClient[],
  options: { checkpoints: number[]; samplePerCheckpoint: number; budgetMs: number; label: string; initialEvents: number },
): Promise<GrowthResult> {
  const deadline = deadlineIn(options.budgetMs);
  const counters = { pending: 0, aborted: 0 };
  const checkpoints: Checkpoint[] = [];
  const segments: BulkSegment[] = [];
  let events = options.initialEvents;
  const target = options.checkpoints[options.checkpoints.length - 1] ?? 0;
  for (const [k, checkpoint] of options.checkpoints.entries()) {
    const bulk = checkpoint - events - 1;
    if (bulk > 0) {
      const pendingBefore = counters.pending;
      const cpuBefore = cluster.sites.map((s) => cpuOf(s.process.pid));
      const start = performance.now();
      const run = await runClosedLoop({
        total: bulk,
        concurrency: BULK_CONCURRENCY,
        deadline,
        op: (i) => createCommitted(clients[i % clients.length] as SiteClient, `${options.label} bulk ${events + i}`, counters),
      });
      const wallMs = performance.now() - start;
      const cpuAfter = cluster.sites.map((s) => cpuOf(s.process.pid));
      const cpu = cpuBefore.every((c) => c !== null) && cpuAfter.every((c) => c !== null) ? cpuAfter.reduce<number>((t, c, i) => t + (c ?? 0) - (cpuBefore[i] ?? 0), 0) : null;
      const committed = run.latenciesMs.length;
      segments.push({
        fromEvents: events,
        toEvents: events + committed,
        concurrency: BULK_CONCURRENCY,
        committed,
        wallMs,
        committedPerSecond: (committed * 1000) / wallMs,
        pendingAnswers: counters.pending - pendingBefore,
        cpuMsPerTransaction: cpu === null || committed === 0 ? null : cpu / committed,
      });
      events += committed;
      ctx.log(`  ${options.label}: ${events} events, ${((committed * 1000) / wallMs).toFixed(1)} committed/s at c=${BULK_CONCURRENCY}`);
      if (committed < bulk) break;
    }
    if (pastDeadline(deadline)) break;
    // Never more samples than events up to the next checkpoint, so each sample is taken at its size.
    const nextCheckpoint = options.checkpoints[k + 1];
    const sampleSize = nextCheckpoint === undefined ? options.samplePerCheckpoint : Math.max(1, Math.min(options.samplePerCheckpoint, nextCheckpoint - checkpoint));
    const sample = await runClosedLoop({
      total: sampleSize,
      concurrency: 1,
      op: (i) => createCommitted(clients[i % clients.length] as SiteClient, `${options.label} sample ${events + i}`, counters),
    });
    checkpoints.push({ events: events + 1, latencyMs: summarize(sample.latenciesMs) });
    events += sample.latenciesMs.length;
  }
  if (events < target) ctx.notes.push(`${options.label}: reached ${events} of ${target} events within the ${Math.round(options.budgetMs / 1000)} s budget`);
  return { target, reached: events, checkpoints, segments };
}
