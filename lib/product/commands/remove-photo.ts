import "server-only";
import { refused } from "@/lib/errors";
import type { RemovePhotoAnswer } from "@/lib/api/contract";
import type { CommandResult } from "@/lib/http/answer";
import type { ProductEngine, ProductSite } from "../ports/site";
import { changeKinds, type RemovePhotoData } from "../changes";
import { repoOf } from "../repo";
import { hasCreatorRights, removalRefusal } from "../rules";
import { removalFacts } from "../rule-facts";
import { abortedError, publicState, siteAcks } from "../outcome-view";
import type { User } from "../session";
import { MAX_BUSY_ATTEMPTS, pauseAfterBusy } from "./busy-retry";

/**
 * Removes a photo from an event: the uploader their own, the event's creator any. A remove-photo
 * transaction coordinated by this site; on commit the photo is gone on every site and the
 * montage version grows. Answers once the outcome is durable, or "pending" with the sites.
 */
export async function removePhoto(options: {
  site: ProductSite;
  engine: ProductEngine;
  user: User;
  eventId: string;
  photoId: string;
  remember?: (pending: CommandResult<RemovePhotoAnswer>) => void;
}): Promise<CommandResult<RemovePhotoAnswer>> {
  const { site, engine, user, eventId, photoId } = options;
  const repo = repoOf(site.db);
  const refusalNow = () => {
    const facts = removalFacts(repo, eventId, photoId);
    const isCreator = facts.creatorId !== undefined && hasCreatorRights({ userId: user.userId, creatorId: facts.creatorId, eventId, adminGrants: user.adminOf ?? [] });
    return removalRefusal({ ...facts.state, requester: { isUploader: facts.uploaderId === user.userId, isCreator } });
  };
  const early = refusalNow();
  if (early) throw refused(early);

  const data: RemovePhotoData = { eventId, photoId, requesterId: user.userId, originSite: site.config.siteId, requestedAtMs: Date.now() };
  const siteIds = site.config.sites.map((s) => s.siteId);
  for (let attempt = 1; ; attempt++) {
    const txId = engine.begin({ key: eventId, kind: changeKinds.removePhoto, data });
    // Before anything can be decided: a retry after a crash of this site finds this transaction.
    options.remember?.({ effect: "pending", answer: { photoId, txId, status: "pending", montageVersion: null, sites: siteAcks(siteIds, null) } });
    const outcome = await engine.waitForOutcome(txId, site.config.decideWaitMs);
    const state = publicState(outcome);
    const answer: RemovePhotoAnswer = { photoId, txId, status: state, montageVersion: null, sites: siteAcks(siteIds, outcome) };
    if (state === "committed") return { effect: "done", answer: { ...answer, montageVersion: repo.event(eventId)?.montageVersion ?? null } };
    if (state === "pending") return { effect: "pending", answer };
    // Aborted: what this site sees now says why (a window opened, the photo went, published)...
    const refusal = refusalNow();
    if (refusal) throw refused(refusal);
    // ...else another change of the event held it at some site: try again after a pause.
    if (outcome.code === "busy" && attempt < MAX_BUSY_ATTEMPTS) {
      await pauseAfterBusy(attempt);
      continue;
    }
    throw abortedError(outcome, "The photo was not removed");
  }
}
