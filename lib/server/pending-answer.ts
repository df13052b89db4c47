import "server-only";
import { z } from "zod";
import { effectToHttpStatus, type Answer, type Effect } from "@/lib/http/answer";
import { publicState, siteAcks } from "@/lib/product/outcome-view";
import type { SiteContext } from "./boot";

const pendingBody = z.looseObject({ txId: z.string().min(1), status: z.literal("pending") });

/**
 * A replayed answer that said "pending" is brought up to date from the engine; null when its
 * transaction aborted (e.g. presumed abort after this site restarted), so the request runs again.
 * `committed` is what the operation's effect is once committed ("created" for a new thing, "done" else).
 */
export function refreshPending(site: SiteContext, committed: Effect = "created"): (answer: Answer) => Answer | null {
  return (answer) => {
    const parsed = pendingBody.safeParse(answer.body);
    if (!parsed.success) return answer;
    const outcome = site.engine.outcome(parsed.data.txId);
    const status = publicState(outcome);
    if (status === "aborted") return null;
    return {
      status: status === "committed" ? effectToHttpStatus[committed] : answer.status,
      body: { ...parsed.data, status, sites: siteAcks(site.config.sites.map((s) => s.siteId), outcome) },
    };
  };
}
