import type { Outcome } from "@/lib/twopc/outcome";

export type SiteAck = { siteId: string; acknowledged: boolean };

/**
 * Per site, has it durably acknowledged the change? A commit implies every site voted yes
 * after logging its prepare, so all have; while pending, the sites that have voted yes.
 */
export function siteAcks(siteIds: readonly string[], outcome: Outcome | null): SiteAck[] {
  return siteIds.map((siteId) => {
    if (!outcome || outcome.state === "committed") return { siteId, acknowledged: outcome !== null };
    const site = outcome.sites[siteId];
    return { siteId, acknowledged: site?.vote === "yes" || site?.acked === true };
  });
}

export function publicState(outcome: Outcome): "pending" | "committed" | "aborted" {
  return outcome.state === "unknown" ? "aborted" : outcome.state;
}
