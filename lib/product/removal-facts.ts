import type { ProductStore } from "./ports/product-store";

/**
 * What `removalRefusal` needs to know at this site, read once for the participant's vote and the
 * coordinator's check alike; who uploaded the photo and who created the event, for the latter.
 */
export function removalFacts(store: ProductStore, eventId: string, photoId: string) {
  const event = store.event(eventId);
  const photo = event ? store.photoIn(eventId, photoId) : undefined;
  return {
    state: { eventExists: event !== undefined, photoExists: photo !== undefined, published: event?.publishedVersion != null, windowOpen: store.openRound(eventId) !== undefined },
    uploaderId: photo?.uploaderId,
    creatorId: event?.creatorId,
  };
}
