import "server-only";
import { notFound } from "@/lib/errors";
import type { DownloadFile } from "@/lib/http/file-response";
import { safeFileNamePart } from "@/lib/archive/safe-file-name";
import { zipStream } from "@/lib/archive/zip-stream";
import type { ProductSite } from "../ports/site";
import { eventIdFormat, photoIdFormat } from "../ids";
import { photoFiles, type PhotoFile } from "../photo-files";
import type { User } from "../session";
import { maySee } from "./get-image";

/** At most this many photos in one archive: far above any event's limits (200 × photos per person). */
const MAX_ARCHIVE_PHOTOS = 20_000;

async function eventFiles(site: ProductSite, eventId: string): Promise<PhotoFile[]> {
  const rows = await site.prisma.photo.findMany({ where: { eventId }, take: MAX_ARCHIVE_PHOTOS });
  return photoFiles(
    rows.map((p) => ({
      photoId: p.id,
      uploaderName: p.uploaderName,
      capturedAtMs: p.capturedAtMs === null ? null : Number(p.capturedAtMs),
      createdAtMs: Number(p.createdAtMs),
      displayHash: p.displayHash,
      originalHash: p.originalHash,
      originalType: p.originalType,
    })),
  );
}

/**
 * One photo at full size, private metadata removed (its original; the display image for a photo
 * added before originals were kept), named as in the event's ZIP. Contributors before
 * publication, everyone after.
 */
export async function getOriginalFile(options: { site: ProductSite; eventId: string; photoId: string; viewer: User | null }): Promise<DownloadFile> {
  const { site, eventId, photoId, viewer } = options;
  if (!eventIdFormat.test(eventId) || !photoIdFormat.test(photoId)) throw notFound("There is no such photo.");
  const event = await maySee(site, eventId, viewer);
  const file = (await eventFiles(site, eventId)).find((f) => f.photoId === photoId);
  if (!file) throw notFound("There is no such photo in this event on this site.");
  const sizeBytes = await site.blobs.sizeOf(file.hash);
  if (sizeBytes === undefined) throw notFound("The photo is not stored here.");
  return {
    sizeBytes,
    contentType: file.contentType,
    etag: file.hash,
    filename: file.name,
    isPublic: event.publishedVersion !== null,
    open: (range) => site.blobs.readStream(file.hash, range),
    ranges: true,
  };
}

/**
 * Every photo of the event at full size as one ZIP, streamed (lib/archive/zip-stream.ts): in
 * montage order, in a folder named after the event, each file dated with its capture time.
 * Contributors before publication, everyone after. Its size is known before the first byte.
 */
export async function getArchiveFile(options: { site: ProductSite; eventId: string; viewer: User | null }): Promise<DownloadFile> {
  const { site, eventId, viewer } = options;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  const event = await maySee(site, eventId, viewer);
  const row = await site.prisma.event.findUnique({ where: { id: eventId }, select: { title: true } });
  const folder = safeFileNamePart(row?.title ?? "", "groupshot");
  const files = await eventFiles(site, eventId);
  const sizes = await Promise.all(files.map((f) => site.blobs.sizeOf(f.hash)));
  const entries = files.map((f, i) => {
    const sizeBytes = sizes[i];
    if (sizeBytes === undefined) throw notFound(`A photo (${f.photoId}) is not stored here.`);
    return { name: `${folder}/${f.name}`, sizeBytes, wallClockMs: f.wallClockMs, open: () => site.blobs.readStream(f.hash) };
  });
  const zip = await zipStream(entries);
  return {
    sizeBytes: zip.sizeBytes,
    contentType: "application/zip",
    // The same photo set always gives the same bytes: its hashes and names make a strong validator.
    etag: `zip-${event.montageVersion}-${files.length}`,
    filename: `${folder}.zip`,
    isPublic: event.publishedVersion !== null,
    open: () => zip.stream,
    ranges: false,
  };
}
