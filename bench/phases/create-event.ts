// Create-event latency across four sites: one request at a time (c=1) and 16 at once (c=16),
// each spread over all four sites in turn, so every site coordinates a quarter of them. The
// same loop drives the engine-level figure (engine-level.ts), with its own request.
import { summarize, type Summary } from "../lib/stats";
import type { BenchCluster } from "../lib/cluster";
import type { SiteClient } from "../lib/client";
import { runClosedLoop } from "../lib/load";
import { PhaseSampler, sitesCpuMs, type PhaseResources } from "../lib/resources";
import { createCommitted, deadlineIn, type BenchContext, type Counters } from "../context";

export type LatencyRun = { concurrency: number; latencyMs: Summary; pendingAnswers: number; failures: number; committedPerSecond: number; cpuMsPerTransaction: number | null; resources: PhaseResources };
export type CreateEventResult = { c1: LatencyRun; c16: LatencyRun };
/** One create-event (request `i`, sent to site i mod 4) until decided; its latency in ms. */
export type CreateOp = (i: number, title: string, counters: Counters) => Promise<number>;

export function measureCreateEvent(ctx: BenchContext, cluster: BenchCluster, clients: SiteClient[], sizes: { c1: number; c16: number; budgetMs: number }): Promise<CreateEventResult> {
  return measureCreates(ctx, cluster, sizes, { label: "create-event", op: (i, title, counters) => createCommitted(clients[i % clients.length] as SiteClient, title, counters) });
}

/** c=1 then c=16 of `op`; at least a third of each run happens whatever the budget, so that p99 means something. */
export async function measureCreates(ctx: BenchContext, cluster: BenchCluster, sizes: { c1: number; c16: number; budgetMs: number }, how: { label: string; op: CreateOp }): Promise<CreateEventResult> {
  const c1 = await latencyRun(ctx, cluster, { ...how, concurrency: 1, total: sizes.c1, budgetMs: sizes.budgetMs / 3 });
  const c16 = await latencyRun(ctx, cluster, { ...how, concurrency: 16, total: sizes.c16, budgetMs: (2 * sizes.budgetMs) / 3 });
  return { c1, c16 };
}

async function latencyRun(ctx: BenchContext, cluster: BenchCluster, options: { label: string; op: CreateOp; concurrency: number; total: number; budgetMs: number }): Promise<LatencyRun> {
  const counters = { pending: 0, aborted: 0 };
  const sampler = await PhaseSampler.start(cluster, `${options.label} c=${options.concurrency}`);
  const run = await runClosedLoop({
    total: options.total,
    concurrency: options.concurrency,
    deadline: deadlineIn(options.budgetMs),
    minimum: Math.ceil(options.total / 3),
    op: (i) => options.op(i, `${options.label} c${options.concurrency} #${i}`, counters),
  });
  const resources = await sampler.stop();
  if (run.latenciesMs.length < options.total) ctx.notes.push(`${sampler.phase}: ${run.latenciesMs.length} of ${options.total} requests ran within the ${Math.round(options.budgetMs / 1000)} s budget`);
  const cpu = sitesCpuMs(resources);
  return {
    concurrency: options.concurrency,
    latencyMs: summarize(run.latenciesMs),
    pendingAnswers: counters.pending,
    failures: run.failures.length,
    committedPerSecond: (run.latenciesMs.length * 1000) / run.wallMs,
    cpuMsPerTransaction: cpu === null || run.latenciesMs.length === 0 ? null : cpu / run.latenciesMs.length,
    resources,
  };
}
