/** What a photo's place in the montage and in the ZIP depends on: data every site has alike. */
export type OrderedPhoto = { photoId: string; capturedAtMs: number | null; createdAtMs: number };

/**
 * The event's photos in the order people expect: by when each was taken (EXIF capture time,
 * else when it was uploaded), then by upload time, then by id (code units, never locale rules).
 * Pure and total, so every site orders the same set alike; a new photo slots in by its time and
 * never reshuffles the others.
 */
export function comparePhotos(a: OrderedPhoto, b: OrderedPhoto): number {
  const takenA = a.capturedAtMs ?? a.createdAtMs;
  const takenB = b.capturedAtMs ?? b.createdAtMs;
  if (takenA !== takenB) return takenA - takenB;
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs - b.createdAtMs;
  return a.photoId < b.photoId ? -1 : a.photoId > b.photoId ? 1 : 0;
}

export function sortPhotos<T extends OrderedPhoto>(photos: readonly T[]): T[] {
  return [...photos].sort(comparePhotos);
}
