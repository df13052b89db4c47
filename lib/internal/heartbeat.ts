import { z } from "zod";
import type { SiteRef } from "@/lib/config/schema";
import { callPeer, type PeerClientOptions } from "./peer-client";
import type { Logger } from "@/lib/site/logger";
import type { Metrics } from "@/lib/site/metrics";

export type PeerHealth = { siteId: string; url: string; reachable: boolean; lastSeenMs: number | null; lastError: string | null };

export const pingAnswer = z.object({ siteId: z.string(), atMs: z.number() });

/**
 * Pings every peer at the configured rate. Health is for people and retry pacing only: it is
 * never a vote, and a peer counts as unreachable from its first missed heartbeat.
 */
export class Heartbeat {
  private readonly health = new Map<string, PeerHealth>();
  private readonly reachableListeners = new Set<(siteId: string) => void>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly options: { peers: SiteRef[]; intervalMs: number; timeoutMs: number; client: PeerClientOptions; logger: Logger; metrics: Metrics },
  ) {
    for (const peer of options.peers) {
      this.health.set(peer.siteId, { siteId: peer.siteId, url: peer.url, reachable: false, lastSeenMs: null, lastError: "not yet contacted" });
    }
  }

  start(): void {
    this.stopped = false;
    void this.beat();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  peers(): PeerHealth[] {
    return [...this.health.values()].map((h) => ({ ...h }));
  }

  /** Called whenever a peer turns reachable (from unreachable or not yet contacted). */
  onReachable(listener: (siteId: string) => void): () => void {
    this.reachableListeners.add(listener);
    return () => this.reachableListeners.delete(listener);
  }

  /** Lets other traffic (2PC deliveries) update health between heartbeats. */
  observe(siteId: string, reachable: boolean, error?: string): void {
    const h = this.health.get(siteId);
    if (!h) return;
    const wasReachable = h.reachable;
    h.reachable = reachable;
    if (reachable) {
      h.lastSeenMs = Date.now();
      h.lastError = null;
    } else {
      h.lastError = error ?? "unreachable";
    }
    this.options.metrics.peerUp.set({ peer: siteId }, reachable ? 1 : 0);
    if (wasReachable !== reachable) {
      this.options.logger.info({ peer: siteId, reachable, error: h.lastError }, reachable ? "peer reachable" : "peer unreachable");
      if (reachable) for (const listener of this.reachableListeners) listener(siteId);
    }
  }

  private async beat(): Promise<void> {
    const timeoutMs = Math.min(this.options.timeoutMs, this.options.intervalMs);
    await Promise.all(this.options.peers.map((peer) => this.ping(peer, timeoutMs)));
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.beat(), this.options.intervalMs);
      this.timer.unref();
    }
  }

  private async ping(peer: SiteRef, timeoutMs: number): Promise<void> {
    const startedMs = performance.now();
    try {
      const body = new TextEncoder().encode(JSON.stringify({ atMs: Date.now() }));
      const answer = await callPeer(this.options.client, { peer, path: "/api/internal/ping", body, timeoutMs, answer: pingAnswer });
      if (answer.siteId !== peer.siteId) throw new Error(`answered as ${answer.siteId}`);
      this.options.metrics.heartbeatSeconds.observe({ peer: peer.siteId }, (performance.now() - startedMs) / 1000);
      this.observe(peer.siteId, true);
    } catch (error) {
      this.observe(peer.siteId, false, error instanceof Error ? error.message : String(error));
    }
  }
}
