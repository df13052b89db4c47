import "server-only";
import { refused } from "@/lib/errors";
import type { SetClosedAnswer } from "@/lib/api/contract";
import type { CommandResult } from "@/lib/http/answer";
import type { ProductEngine, ProductSite } from "../ports/site";
import { changeKinds, type SetClosedData } from "../changes";
import { repoOf } from "../repo";
import { closingRefusal, hasCreatorRights } from "../rules";
import { closingFacts } from "../rule-facts";
import { abortedError, publicState, siteAcks } from "../outcome-view";
import type { User } from "../session";
import { MAX_BUSY_ATTEMPTS, pauseAfterBusy } from "./busy-retry";

/**
 * Closes the event to new contributors (`closed: true`) or reopens it: the creator's right, or
 * that of whoever opened the admin link. A set-closed transaction coordinated by this site, so
 * every site or none refuses newcomers' photos. Answers once the outcome is durable, or
 * "pending" with the sites that have answered.
 */
export async function setEventClosed(options: {
  site: ProductSite;
  engine: ProductEngine;
  user: User;
  eventId: string;
  closed: boolean;
  remember?: (pending: CommandResult<SetClosedAnswer>) => void;
}): Promise<CommandResult<SetClosedAnswer>> {
  const { site, engine, user, eventId, closed } = options;
  const repo = repoOf(site.db);
  const refusalNow = () => {
    const facts = closingFacts(repo, eventId);
    const rights = facts.creatorId !== undefined && hasCreatorRights({ userId: user.userId, creatorId: facts.creatorId, eventId, adminGrants: user.adminOf ?? [] });
    return closingRefusal({ ...facts.state, requester: { hasCreatorRights: rights } });
  };
  const early = refusalNow();
  if (early) throw refused(early);

  const data: SetClosedData = { eventId, closed, requesterId: user.userId, originSite: site.config.siteId, requestedAtMs: Date.now() };
  const siteIds = site.config.sites.map((s) => s.siteId);
  for (let attempt = 1; ; attempt++) {
    const txId = engine.begin({ key: eventId, kind: changeKinds.setClosed, data });
    // Before anything can be decided: a retry after a crash of this site finds this transaction.
    options.remember?.({ effect: "pending", answer: { eventId, closed, txId, status: "pending", sites: siteAcks(siteIds, null) } });
    const outcome = await engine.waitForOutcome(txId, site.config.decideWaitMs);
    const state = publicState(outcome);
    const answer: SetClosedAnswer = { eventId, closed, txId, status: state, sites: siteAcks(siteIds, outcome) };
    if (state === "committed") return { effect: "done", answer };
    if (state === "pending") return { effect: "pending", answer };
    const refusal = refusalNow();
    if (refusal) throw refused(refusal);
    // Another change of the event (a photo, a round's decision) held it at some site: again after a pause.
    if (outcome.code === "busy" && attempt < MAX_BUSY_ATTEMPTS) {
      await pauseAfterBusy(attempt);
      continue;
    }
    throw abortedError(outcome, closed ? "The event was not closed" : "The event was not reopened");
  }
}
