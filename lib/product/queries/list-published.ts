import "server-only";
import type { PublishedItem } from "@/lib/api/contract";
import type { ProductSite } from "../ports/site";

const MAX_ITEMS = 100;

/** The published montages of this site's replica, newest first. Public: no cookie needed. */
export async function listPublished(site: ProductSite): Promise<PublishedItem[]> {
  const events = await site.prisma.event.findMany({
    where: { publishedVersion: { not: null } },
    orderBy: { publishedAtMs: "desc" },
    take: MAX_ITEMS,
    include: { photos: { select: { uploaderName: true, uploaderId: true, version: true }, orderBy: { version: "asc" } } },
  });
  return events.flatMap((e) => {
    if (e.publishedVersion === null || e.publishedAtMs === null) return [];
    const version = e.publishedVersion;
    const photos = e.photos.filter((p) => p.version <= version);
    const names = [...new Map(photos.map((p) => [p.uploaderId, p.uploaderName])).values()];
    return [
      {
        eventId: e.id,
        title: e.title,
        version,
        photoCount: photos.length,
        contributors: names,
        publishedAt: new Date(Number(e.publishedAtMs)).toISOString(),
        montageUrl: `/api/events/${e.id}/montage?v=${version}&size=preview`,
        pageUrl: `/p/${e.id}`,
      },
    ];
  });
}
