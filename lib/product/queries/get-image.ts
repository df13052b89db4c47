import "server-only";
import { badRequest, forbidden, notFound } from "@/lib/errors";
import type { ProductSite } from "../ports/site";
import { eventIdFormat, photoIdFormat } from "../ids";
import type { User } from "../session";

import type { ImageFile } from "@/lib/http/image-response";

async function contributes(site: ProductSite, eventId: string, viewer: User | null): Promise<boolean> {
  return viewer !== null && (await site.prisma.photo.count({ where: { eventId, uploaderId: viewer.userId } })) > 0;
}

/** Contributors may see an event's images before it is published; everyone after. Throws 404 / 403. */
export async function maySee(site: ProductSite, eventId: string, viewer: User | null): Promise<{ publishedVersion: number | null; montageVersion: number }> {
  const event = await site.prisma.event.findUnique({ where: { id: eventId }, select: { publishedVersion: true, montageVersion: true } });
  if (!event) throw notFound("There is no such event on this site.");
  if (event.publishedVersion !== null) return event;
  if (!(await contributes(site, eventId, viewer))) throw forbidden("Only contributors can see this until the montage is published.");
  return event;
}

/** A photo's tile (thumbnail) or display image, for contributors, or anyone once published. */
export async function getPhotoImage(options: { site: ProductSite; photoId: string; variant: string; viewer: User | null }): Promise<ImageFile> {
  const { site, photoId, variant, viewer } = options;
  if (!photoIdFormat.test(photoId)) throw notFound("There is no such photo.");
  if (variant !== "thumb" && variant !== "image") throw notFound("Unknown image variant.");
  const photo = await site.prisma.photo.findUnique({ where: { id: photoId } });
  if (!photo) throw notFound("There is no such photo on this site.");
  if (photo.uploaderId !== viewer?.userId) await maySee(site, photo.eventId, viewer);
  const hash = variant === "thumb" ? photo.tileHash : photo.displayHash;
  const bytes = await site.blobs.readAsync(hash);
  if (!bytes) throw notFound("The image is not stored here.");
  return { bytes, etag: hash, filename: `${photoId}.jpg` };
}

/** The montage of a version: preview or full size. Contributors only until published. */
export async function getMontageImage(options: { site: ProductSite; eventId: string; version: string | null; size: string | null; viewer: User | null }): Promise<ImageFile> {
  const { site, eventId, viewer } = options;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  const event = await maySee(site, eventId, viewer);
  const version = options.version === null ? (event.publishedVersion ?? event.montageVersion) : Number(options.version);
  if (!Number.isInteger(version) || version < 1 || version > event.montageVersion) throw badRequest("No montage of that version here.");
  // Publishing made one version public; the earlier ones stay for contributors only.
  if (event.publishedVersion !== null && version !== event.publishedVersion && !(await contributes(site, eventId, viewer))) {
    throw forbidden("Only the published version is public.");
  }
  const size = options.size ?? "preview";
  if (size !== "preview" && size !== "full") throw badRequest('size is "preview" or "full".');
  // The page image is built first after an upload; the download on demand (or a bit later).
  // A version built before a photo was removed is gone (404 not_found from the montages).
  const hash = await site.montages.get(eventId, version, size);
  const bytes = await site.blobs.readAsync(hash);
  if (!bytes) throw notFound("The montage is not stored here.");
  return {
    bytes,
    etag: hash,
    filename: `groupshot-${eventId}-v${version}${size === "full" ? "" : "-preview"}.jpg`,
    isPublic: event.publishedVersion === version,
  };
}
