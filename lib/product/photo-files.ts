import { fileNameTime, safeFileNamePart, uniqueNames } from "@/lib/archive/safe-file-name";
import { sortPhotos } from "./photo-order";

/** What a stored photo's downloadable file is made of (a row, with the original if it has one). */
export type PhotoFileSource = {
  photoId: string;
  uploaderName: string;
  capturedAtMs: number | null;
  createdAtMs: number;
  displayHash: string;
  originalHash: string | null;
  originalType: string | null;
};

export type PhotoFile = { photoId: string; name: string; hash: string; contentType: string; wallClockMs: number };

const FILE_TYPES: Record<string, { extension: string; contentType: string }> = {
  jpeg: { extension: "jpg", contentType: "image/jpeg" },
  png: { extension: "png", contentType: "image/png" },
  webp: { extension: "webp", contentType: "image/webp" },
  avif: { extension: "avif", contentType: "image/avif" },
  heic: { extension: "heic", contentType: "image/heic" },
};
const JPEG = { extension: "jpg", contentType: "image/jpeg" };

/**
 * The event's photos as files, in montage order, each named "<uploader> <capture time>.<ext>"
 * (upload time when the capture time is unknown; "(2)" for a second photo of the same second),
 * safe on every OS. A photo added before originals were kept is its display image (JPEG).
 */
export function photoFiles(photos: readonly PhotoFileSource[]): PhotoFile[] {
  const ordered = sortPhotos(photos);
  const kinds = ordered.map((p) => (p.originalHash !== null ? (FILE_TYPES[p.originalType ?? ""] ?? JPEG) : JPEG));
  const names = uniqueNames(
    ordered.map((p, i) => ({ base: `${safeFileNamePart(p.uploaderName, "photo")} ${fileNameTime(p.capturedAtMs ?? p.createdAtMs)}`, extension: kinds[i]?.extension ?? "jpg" })),
  );
  return ordered.map((p, i) => ({
    photoId: p.photoId,
    name: names[i] ?? `${p.photoId}.jpg`,
    hash: p.originalHash ?? p.displayHash,
    contentType: kinds[i]?.contentType ?? "image/jpeg",
    wallClockMs: p.capturedAtMs ?? p.createdAtMs,
  }));
}
