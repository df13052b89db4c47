import "server-only";
import { refused } from "@/lib/errors";
import type { SetClosedAnswer } from "@/lib/api/contract";
import type { CommandResult } from "@/lib/http/answer";
import type { ProductEngine, ProductSite } from "../ports/site";
import { changeKinds, type SetClosedData } from "../changes";
import { repoOf } from "../repo";
import { closingRefusal, hasCreatorRights } from "../rules";
import { closingFacts } from "../rule-facts";
import { publicState, siteAcks } from "../outcome-view";
import type { User } from "../session";
import { runChange } from "./run-change";

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
  const run = await runChange({
    engine,
    change: { key: eventId, kind: changeKinds.setClosed, data },
    decideWaitMs: site.config.decideWaitMs,
    answerOf: (txId, outcome): SetClosedAnswer => ({ eventId, closed, txId, status: outcome ? publicState(outcome) : "pending", sites: siteAcks(siteIds, outcome) }),
    remember: options.remember,
    refusalNow,
    notDone: closed ? "The event was not closed" : "The event was not reopened",
  });
  return { effect: run.state === "committed" ? "done" : "pending", answer: run.answer };
}
