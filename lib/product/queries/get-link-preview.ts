import "server-only";
import type { ProductSite } from "../ports/site";
import { eventIdFormat } from "../ids";
import { previewDescription } from "../link-preview-text";

/** What a chat app shows for a shared link (OpenGraph / Twitter card): absolute URLs only. */
export type LinkPreview = {
  title: string;
  description: string;
  /** The page's own address (og:url). */
  url: string;
  /** The published montage once public; before that a neutral card (no private photo leaks). */
  image: { url: string; width: number; height: number; alt: string };
};

/** The neutral card in public/: 1200 × 630, the size chat apps expect for a large preview. */
const NEUTRAL_CARD = { path: "/og-card.png", width: 1200, height: 630 };
/** The montage preview is at most 1200 px wide (lib/images); its height depends on the photos. */
const MONTAGE_PREVIEW_WIDTH = 1200;
/**
 * The preview of /e/:id (`page: "event"`) or /p/:id (`page: "public"`), from this site's replica.
 * Event data is readable by anyone with the link (docs/API.md); images are not until published,
 * so before that the card is neutral. Null for an unknown or malformed event id.
 */
export async function getLinkPreview(options: { site: ProductSite; eventId: string; page: "event" | "public" }): Promise<LinkPreview | null> {
  const { site, eventId, page } = options;
  if (!eventIdFormat.test(eventId)) return null;
  const event = await site.prisma.event.findUnique({
    where: { id: eventId },
    select: { title: true, creatorName: true, publishedVersion: true, photos: { select: { uploaderId: true, uploaderName: true, version: true }, orderBy: { version: "asc" } } },
  });
  if (!event) return null;
  const base = site.config.publicUrl;
  const version = event.publishedVersion;
  const photos = version === null ? event.photos : event.photos.filter((p) => p.version <= version);
  const names = [...new Map(photos.map((p) => [p.uploaderId, p.uploaderName])).values()];
  const url = `${base}/${page === "public" ? "p" : "e"}/${eventId}`;
  const description = previewDescription({ photoCount: photos.length, names, creatorName: event.creatorName, published: version !== null });
  const image =
    version === null
      ? { url: `${base}${NEUTRAL_CARD.path}`, width: NEUTRAL_CARD.width, height: NEUTRAL_CARD.height, alt: "groupshot: a group photo montage" }
      : { url: `${base}/api/events/${eventId}/montage?v=${version}&size=preview`, width: MONTAGE_PREVIEW_WIDTH, height: 0, alt: `Montage of ${photos.length} photos: ${event.title}` };
  return { title: event.title, description, url, image };
}
