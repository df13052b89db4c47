// The live wall's choice of photos (pure, so the rule is tested without a browser): the newest
// first, at most `max`, and which of them arrived since the wall last looked.
import type { PhotoView } from "@/lib/api/contract";

export type WallPhoto = PhotoView & { thumbUrl: string; imageUrl: string };

/** The photos the viewer may see, newest first (highest montage version), at most `max`. */
export function wallPhotos(photos: readonly PhotoView[], max: number): WallPhoto[] {
  return photos
    .filter((p): p is WallPhoto => p.thumbUrl !== null && p.imageUrl !== null)
    .sort((a, b) => b.version - a.version)
    .slice(0, max);
}

/** Ids in `now` that were not in `before`: the photos that just landed (none on the first look). */
export function newlyArrived(before: ReadonlySet<string> | null, now: readonly { photoId: string }[]): Set<string> {
  if (before === null) return new Set();
  return new Set(now.filter((p) => !before.has(p.photoId)).map((p) => p.photoId));
}
