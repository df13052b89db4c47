import { AppError, isRefusalCode } from "@/lib/errors";
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

/**
 * The error for a transaction that aborted: a participant's refusal keeps its rule's code (a
 * window opened at another site → window_open), anything else (a site was down, …) is "aborted".
 */
export function abortedError(outcome: Outcome, what: string): AppError {
  const code = isRefusalCode(outcome.code) ? outcome.code : "aborted";
  return new AppError(code, `${what}: ${outcome.reason ?? "a site refused"}.`);
}
