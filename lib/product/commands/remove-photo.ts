import "server-only";
import { refused } from "@/lib/errors";
import type { RemovePhotoAnswer } from "@/lib/api/contract";
import type { CommandResult } from "@/lib/http/answer";
import type { ProductEngine, ProductSite } from "../ports/site";
import { changeKinds, type RemovePhotoData } from "../changes";
import { repoOf } from "../repo";
import { hasCreatorRights, removalRefusal } from "../rules";
import { removalFacts } from "../rule-facts";
import { publicState, siteAcks } from "../outcome-view";
import type { User } from "../session";
import { runChange } from "./run-change";

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
  const run = await runChange({
    engine,
    change: { key: eventId, kind: changeKinds.removePhoto, data },
    decideWaitMs: site.config.decideWaitMs,
    answerOf: (txId, outcome): RemovePhotoAnswer => ({ photoId, txId, status: outcome ? publicState(outcome) : "pending", montageVersion: null, sites: siteAcks(siteIds, outcome) }),
    remember: options.remember,
    refusalNow,
    notDone: "The photo was not removed",
  });
  if (run.state === "pending") return { effect: "pending", answer: run.answer };
  return { effect: "done", answer: { ...run.answer, montageVersion: repo.event(eventId)?.montageVersion ?? null } };
}
