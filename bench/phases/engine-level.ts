// Create-event below the web framework: the same four site processes, each transaction begun
// through the site's engine by the signed bench endpoint (POST /api/internal/bench/create-event,
// served only with BENCH_ENGINE_ENDPOINT=1), the answer sent once the outcome is known there.
// Same change, domain checks, log records and fsyncs as POST /api/events; no Next.js, session,
// idempotency record or public contract. Driven by create-event's loop (request i to site i mod 4).
import { z } from "zod";
import { performance } from "node:perf_hooks";
import { callPeer } from "../../lib/internal/peer-client";
import type { BenchCluster, BenchSite } from "../lib/cluster";
import type { SiteClient } from "../lib/client";
import type { BenchContext, Counters } from "../context";
import { measureCreates, type CreateEventResult } from "./create-event";

const answer = z.object({ txId: z.string(), eventId: z.string(), state: z.enum(["pending", "committed", "aborted"]) });

export type EngineLevelResult = CreateEventResult;

export function measureEngineLevel(ctx: BenchContext, cluster: BenchCluster, clients: SiteClient[], sizes: { c1: number; c16: number; budgetMs: number }): Promise<EngineLevelResult> {
  return measureCreates(ctx, cluster, sizes, {
    label: "engine-level create-event",
    op: (i, title, counters) => {
      const n = i % cluster.sites.length;
      return engineCreate(cluster, cluster.sites[n] as BenchSite, clients[n] as SiteClient, title, counters);
    },
  });
}

/** One engine-level create-event at `site`, until decided (a pending answer is followed like the API's). */
async function engineCreate(cluster: BenchCluster, site: BenchSite, client: SiteClient, title: string, counters: Counters): Promise<number> {
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
