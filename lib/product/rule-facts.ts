import type { ProductStore } from "./ports/product-store";
import type { Limits } from "./rules";

// What the rules in rules.ts need to know at this site, read in one place for the participant's
// vote (domain.ts) and the coordinator's early check (the commands) alike.

/** The inputs of `photoRefusal` for `uploaderId` adding a photo to `eventId`. */
export function photoFacts(store: ProductStore, options: { eventId: string; uploaderId: string; limits: Limits; duplicate: boolean }) {
  const { eventId, uploaderId } = options;
  const event = store.event(eventId);
  const uploaderPhotoCount = store.photoCountBy(eventId, uploaderId);
  return {
    eventExists: event !== undefined,
    published: event?.publishedVersion != null,
    windowOpen: store.openRound(eventId) !== undefined,
    closed: event?.closed ?? false,
    uploaderPhotoCount,
    contributorCount: event ? store.contributors(eventId, event.montageVersion).length : 0,
    uploaderIsContributor: uploaderPhotoCount > 0,
    duplicate: options.duplicate,
    limits: options.limits,
  };
}

/** The inputs of `removalRefusal`, and who uploaded the photo and who created the event (for the requester). */
export function removalFacts(store: ProductStore, eventId: string, photoId: string) {
  const event = store.event(eventId);
  const photo = event ? store.photoIn(eventId, photoId) : undefined;
  return {
    state: { eventExists: event !== undefined, photoExists: photo !== undefined, published: event?.publishedVersion != null, windowOpen: store.openRound(eventId) !== undefined },
    uploaderId: photo?.uploaderId,
    creatorId: event?.creatorId,
  };
}

/** The inputs of `closingRefusal` (without the requester), and who created the event. */
export function closingFacts(store: ProductStore, eventId: string) {
  const event = store.event(eventId);
  return { state: { eventExists: event !== undefined, published: event?.publishedVersion != null }, creatorId: event?.creatorId, closed: event?.closed ?? false };
}
