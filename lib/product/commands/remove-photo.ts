import "server-only";
import { AppError, unauthorized } from "@/lib/http/app-error";
import type { Engine } from "@/lib/engine/engine";
import type { Site } from "@/lib/site/site";
import { changeKinds, type RemovePhotoData } from "../changes";
import { repoOf } from "../repo";
import { removalRefusal, type Refusal } from "../rules";
import { publicState, siteAcks } from "../outcome-view";
import type { User } from "../session";
import type { Answer, Remember } from "../idempotency";

/** Attempts when another change of the same event holds it prepared somewhere ("busy"). */
const MAX_ATTEMPTS = 6;
const BUSY_PAUSE_MS = 150;

const statusOf: Record<string, number> = { unknown_event: 404, unknown_photo: 404, not_yours: 403 };

function refused(refusal: Refusal): AppError {
  return new AppError({ code: refusal.code, status: statusOf[refusal.code] ?? 409, message: refusal.message });
}

/**
 * Removes a photo from an event: the uploader their own, the event's creator any. A remove-photo
 * transaction coordinated by this site; on commit the photo is gone on every site and the
 * montage version grows. Answers once the outcome is durable, or "pending" with the sites.
 */
export async function removePhoto(options: { site: Site; engine: Engine; user: User | null; eventId: string; photoId: string; remember?: Remember }): Promise<Answer> {
  const { site, engine, user, eventId, photoId } = options;
  if (!user) throw unauthorized("Join the event with your name before removing photos.");
  const repo = repoOf(site.db);
  const refusalNow = () => {
    const event = repo.event(eventId);
    const photo = event ? repo.photoIn(eventId, photoId) : undefined;
    return removalRefusal({
      eventExists: event !== undefined,
      photoExists: photo !== undefined,
      published: event?.publishedVersion != null,
      windowOpen: repo.openRound(eventId) !== undefined,
      requester: { isUploader: photo?.uploaderId === user.userId, isCreator: event?.creatorId === user.userId },
    });
  };
  const early = refusalNow();
  if (early) throw refused(early);

  const data: RemovePhotoData = { eventId, photoId, requesterId: user.userId, originSite: site.config.siteId, requestedAtMs: Date.now() };
  const siteIds = site.config.sites.map((s) => s.siteId);
  for (let attempt = 1; ; attempt++) {
    const txId = engine.begin({ key: eventId, kind: changeKinds.removePhoto, data });
    // Before anything can be decided: a retry after a crash of this site finds this transaction.
    options.remember?.({ status: 202, body: { photoId, txId, status: "pending", montageVersion: null, sites: siteAcks(siteIds, null) } });
    const outcome = await engine.node.waitForOutcome(txId, site.config.decideWaitMs);
    const state = publicState(outcome);
    const body = { photoId, txId, status: state, montageVersion: null as number | null, sites: siteAcks(siteIds, outcome) };
    if (state === "committed") return { status: 200, body: { ...body, montageVersion: repo.event(eventId)?.montageVersion ?? null } };
    if (state === "pending") return { status: 202, body };
    // Aborted: what this site sees now says why (a window opened, the photo went, published)...
    const refusal = refusalNow();
    if (refusal) throw refused(refusal);
    // ...else another change of the event held it somewhere, or a site said no for its own state.
    if (attempt < MAX_ATTEMPTS) {
      await new Promise((resolve) => setTimeout(resolve, BUSY_PAUSE_MS * attempt * (0.5 + Math.random())));
      continue;
    }
    throw new AppError({ code: "not_removed", status: 409, message: `The photo was not removed: ${outcome.reason ?? "a site refused"}. Try again in a moment.` });
  }
}
