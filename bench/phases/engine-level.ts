// Create-event below the web framework: the same four site processes, each transaction begun
// through the site's engine by the signed bench endpoint (POST /api/internal/bench/create-event,
// served only with BENCH_ENGINE_ENDPOINT=1), the answer sent once the outcome is known there.
// Same change, domain checks, log records and fsyncs as POST /api/events; no Next.js, session,
// idempotency record or public contract. Request i goes to site i mod 4, as in create-event.
import { z } from "zod";
import { performance } from "node:perf_hooks";
import { callPeer } from "../../lib/internal/peer-client";
import type { BenchCluster, BenchSite } from "../lib/cluster";
import type { SiteClient } from "../lib/client";
import { runClosedLoop } from "../lib/load";
import { summarize } from "../lib/stats";
import { PhaseSampler } from "../lib/resources";
import { deadlineIn, type BenchContext } from "../context";
import type { LatencyRun } from "./create-event";

const answer = z.object({ txId: z.string(), eventId: z.string(), state: z.enum(["pending", "committed", "aborted"]) });

export type EngineLevelResult = { c1: LatencyRun; c16: LatencyRun };

export async function measureEngineLevel(ctx: BenchContext, cluster: BenchCluster, clients: SiteClient[], sizes: { c1: number; c16: number; budgetMs: number }): Promise<EngineLevelResult> {
  const c1 = await engineRun(ctx, cluster, clients, { concurrency: 1, total: sizes.c1, budgetMs: sizes.budgetMs / 3 });
  const c16 = await engineRun(ctx, cluster, clients, { concurrency: 16, total: sizes.c16, budgetMs: (2 * sizes.budgetMs) / 3 });
  return { c1, c16 };
}

/** One engine-level create-event at `site`, until decided (a pending answer is followed like the API's). */
export async function engineCreate(cluster: BenchCluster, site: BenchSite, client: SiteClient, title: string, counters: { pending: number; aborted: number }): Promise<number> {
  const start = performance.now();
  // Signed as one of its peers: the internal API only admits the cluster's own sites.
  const sender = cluster.sites.find((s) => s.siteId !== site.siteId)?.siteId ?? site.siteId;
  const body = new TextEncoder().encode(JSON.stringify({ title }));
  const result = await callPeer({ siteId: sender, secret: cluster.siteSecret }, { peer: site, path: "/api/internal/bench/create-event", body, timeoutMs: 30_000, answer });
  let state: string = result.state;
  if (state === "pending") {
    counters.pending += 1;
    state = await client.waitDecided(result.txId);
  }
  if (state !== "committed") {
    counters.aborted += 1;
    throw new Error(`engine-level create-event ${result.txId} ended ${state}`);
  }
  return performance.now() - start;
}

async function engineRun(ctx: BenchContext, cluster: BenchCluster, clients: SiteClient[], options: { concurrency: number; total: number; budgetMs: number }): Promise<LatencyRun> {
  const counters = { pending: 0, aborted: 0 };
  const sampler = await PhaseSampler.start(cluster, `engine-level create-event c=${options.concurrency}`);
  const run = await runClosedLoop({
    total: options.total,
    concurrency: options.concurrency,
    deadline: deadlineIn(options.budgetMs),
    minimum: Math.ceil(options.total / 3),
    op: (i) => {
      const n = i % cluster.sites.length;
      return engineCreate(cluster, cluster.sites[n] as BenchSite, clients[n] as SiteClient, `engine c${options.concurrency} #${i}`, counters);
    },
  });
  const resources = await sampler.stop();
  if (run.latenciesMs.length < options.total) ctx.notes.push(`${sampler.phase}: ${run.latenciesMs.length} of ${options.total} requests ran within the ${Math.round(options.budgetMs / 1000)} s budget`);
  const cpu = resources.sites.reduce<number | null>((total, s) => (total === null || s.cpuMs === null ? null : total + s.cpuMs), 0);
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
