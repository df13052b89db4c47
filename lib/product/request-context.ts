import "server-only";
import { z } from "zod";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { Idempotency, type Answer } from "./idempotency";
import { publicState, siteAcks } from "./outcome-view";

const holder = globalThis as typeof globalThis & { __groupshotIdempotency?: Idempotency };

export function idempotency(): Idempotency {
  holder.__groupshotIdempotency ??= new Idempotency(getSite().db);
  return holder.__groupshotIdempotency;
}

const pendingBody = z.looseObject({ txId: z.string().min(1), status: z.literal("pending") });

/**
 * A replayed answer that said "pending" is brought up to date from the engine; null when its
 * transaction aborted (e.g. presumed abort after this site restarted), so the request runs again.
 * `committedStatus` is what the operation answers once committed (201 for a new thing, 200 else).
 */
export function refreshPendingAs(committedStatus: number): (answer: Answer) => Answer | null {
  return (answer) => {
    const parsed = pendingBody.safeParse(answer.body);
    if (!parsed.success) return answer;
    const site = getSite();
    const outcome = getEngine().node.outcome(parsed.data.txId);
    const status = publicState(outcome);
    if (status === "aborted") return null;
    return {
      status: status === "committed" ? committedStatus : answer.status,
      body: { ...parsed.data, status, sites: siteAcks(site.config.sites.map((s) => s.siteId), outcome) },
    };
  };
}

export const refreshPending = refreshPendingAs(201);
