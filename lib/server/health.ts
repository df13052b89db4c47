import "server-only";
import type { Heartbeat } from "@/lib/internal/heartbeat";
import type { Metrics } from "@/lib/site/metrics";

export type Health = {
  siteId: string;
  peers: Array<{ siteId: string; url: string; reachable: boolean; lastSeen: string | null; lastError: string | null; backlog: number }>;
  inDoubt: Array<{ txId: string; coordinator: string; preparedAt: string }>;
  quarantined: Array<{ from: string; msgId: string; txId: string; type: string; error: string; hits: number; firstAt: string; lastAt: string }>;
};

export type EngineStatus = {
  backlog: Map<string, number>;
  inDoubt: Array<{ txId: string; coordinator: string; preparedAtMs: number }>;
  /** Poison messages kept by the engine, most recently seen first (see docs/PROTOCOL.md). */
  quarantined: Array<{ from: string; msgId: string; txId: string; type: string; error: string; hits: number; firstAtMs: number; lastAtMs: number }>;
};

/** This site's view of its peers, its outbox backlog per peer, its in-doubt transactions and its quarantined messages. */
export function readHealth(site: { config: { siteId: string }; heartbeat: Heartbeat; metrics: Metrics; engineStatus(): EngineStatus }): Health {
  const status = site.engineStatus();
  const peers = site.heartbeat.peers().map((p) => ({
    siteId: p.siteId,
    url: p.url,
    reachable: p.reachable,
    lastSeen: p.lastSeenMs === null ? null : new Date(p.lastSeenMs).toISOString(),
    lastError: p.lastError,
    backlog: status.backlog.get(p.siteId) ?? 0,
  }));
  for (const peer of peers) site.metrics.backlog.set({ peer: peer.siteId }, peer.backlog);
  site.metrics.inDoubt.set(status.inDoubt.length);
  return {
    siteId: site.config.siteId,
    peers,
    inDoubt: status.inDoubt.map((t) => ({ txId: t.txId, coordinator: t.coordinator, preparedAt: new Date(t.preparedAtMs).toISOString() })),
    quarantined: status.quarantined.map(({ firstAtMs, lastAtMs, ...q }) => ({
      ...q,
      firstAt: new Date(firstAtMs).toISOString(),
      lastAt: new Date(lastAtMs).toISOString(),
    })),
  };
}
