import "server-only";
import type { Site } from "./site";

export type Health = {
  siteId: string;
  peers: Array<{ siteId: string; url: string; reachable: boolean; lastSeen: string | null; lastError: string | null; backlog: number }>;
  inDoubt: Array<{ txId: string; coordinator: string; preparedAt: string }>;
  quarantined: Array<{ from: string; msgId: string; txId: string; type: string; error: string; hits: number; firstAt: string; lastAt: string }>;
};

/** This site's view of its peers, its outbox backlog per peer and its in-doubt transactions. */
export function readHealth(site: Site): Health {
  const status = site.engineStatus?.() ?? { backlog: new Map<string, number>(), inDoubt: [], quarantined: [] };
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
