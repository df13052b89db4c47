import "server-only";
import type { EventView, RoundView } from "@/lib/api/contract";
import { notFound } from "@/lib/errors";
import type { Engine } from "@/lib/engine/engine";
import type { Site } from "@/lib/site/site";
import { eventStatus, hasCreatorRights } from "../rules";
import { publicState, siteAcks } from "../outcome-view";
import { pendingCreates } from "../commands/create-event";
import type { User } from "../session";

const iso = (ms: bigint | number) => new Date(Number(ms)).toISOString();

type RoundRow = { version: number; deadlineMs: bigint; outcome: string | null; reason: string | null };

/**
 * The event as this site sees it, for `viewer`. Images (thumbnails, montage) are visible only
 * to contributors until the montage is published; then to everyone.
 */
export async function getEventView(options: { site: Site; engine: Engine; eventId: string; viewer: User | null }): Promise<EventView> {
  const { site, eventId, viewer } = options;
  const siteIds = site.config.sites.map((s) => s.siteId);
  const event = await site.prisma.event.findUnique({
    where: { id: eventId },
    include: { photos: { orderBy: { version: "asc" } }, rounds: { orderBy: { version: "desc" }, take: 10 } },
  });
  if (!event) return pendingView(options, siteIds);
  pendingCreates.delete(eventId);

  const version = event.montageVersion;
  const published = event.publishedVersion !== null && event.publishedAtMs !== null;
  const contributors = new Map<string, { userId: string; name: string; photoCount: number }>();
  for (const photo of event.photos) {
    const c = contributors.get(photo.uploaderId) ?? { userId: photo.uploaderId, name: photo.uploaderName, photoCount: 0 };
    c.photoCount += 1;
    contributors.set(photo.uploaderId, c);
  }
  const isContributor = viewer !== null && contributors.has(viewer.userId);
  const creatorRights = viewer !== null && hasCreatorRights({ userId: viewer.userId, creatorId: event.creatorId, eventId, adminGrants: viewer.adminOf ?? [] });
  const maySeeImages = isContributor || published;

  const toRoundView = async (r: RoundRow): Promise<RoundView> => {
    const ballots = await site.prisma.ballot.findMany({ where: { eventId, version: r.version }, orderBy: [{ castAtMs: "asc" }, { userId: "asc" }] });
    return {
      version: r.version,
      deadline: iso(r.deadlineMs),
      ballots: ballots.map((b) => ({ userId: b.userId, name: b.userName, decision: b.decision === "reject" ? "reject" : "accept", site: b.site })),
      outcome: r.outcome === "published" ? "published" : r.outcome === "aborted" ? "aborted" : null,
      reason: r.reason,
    };
  };
  const currentRow = event.rounds.find((r) => r.version === version);
  const round = currentRow ? await toRoundView(currentRow) : null;
  const abortedRow = event.rounds.find((r) => r.outcome === "aborted");
  const lastAbortedRound = abortedRow ? (abortedRow === currentRow ? round : await toRoundView(abortedRow)) : null;
  const windowOpen = event.rounds.some((r) => r.outcome === null);
  const ballotOf = (userId: string) => round?.ballots.find((b) => b.userId === userId)?.decision ?? null;
  const viewerBallot = viewer ? ballotOf(viewer.userId) : null;
  const viewerPhotos = viewer ? (contributors.get(viewer.userId)?.photoCount ?? 0) : 0;
  const roundClosed = currentRow !== undefined && currentRow.outcome !== null;
  const limits = site.config.limits;
  const montageUrl = (size: "preview" | "full", download = false) =>
    `/api/events/${eventId}/montage?v=${version}&size=${size}${download ? "&download=1" : ""}`;
  const publishedVersion = event.publishedVersion;

  return {
    eventId,
    title: event.title,
    status: eventStatus({ published, windowOpen }),
    homeSite: event.homeSite,
    siteId: site.config.siteId,
    url: `${site.config.publicUrl}/e/${eventId}`,
    createdAt: iso(event.createdAtMs),
    creatorName: event.creatorName,
    closed: event.closed,
    montage: {
      version,
      photoCount: event.photos.length,
      url: version > 0 && maySeeImages ? montageUrl("preview") : null,
      downloadUrl: version > 0 && maySeeImages ? montageUrl("full", true) : null,
    },
    photos: event.photos.map((p) => ({
      photoId: p.id,
      uploaderId: p.uploaderId,
      uploaderName: p.uploaderName,
      originSite: p.originSite,
      version: p.version,
      width: p.width,
      height: p.height,
      createdAt: iso(p.createdAtMs),
      thumbUrl: maySeeImages || p.uploaderId === viewer?.userId ? `/api/photos/${p.id}/thumb` : null,
      imageUrl: maySeeImages || p.uploaderId === viewer?.userId ? `/api/photos/${p.id}/image` : null,
      originalUrl: maySeeImages ? `/api/events/${eventId}/photos/${p.id}/original` : null,
      capturedAt: p.capturedAtMs === null ? null : iso(p.capturedAtMs),
      removable: viewer !== null && !published && !windowOpen && (p.uploaderId === viewer.userId || creatorRights),
    })),
    contributors: [...contributors.values()].map((c) => ({ ...c, ballot: ballotOf(c.userId) })),
    round,
    lastAbortedRound,
    published:
      publishedVersion !== null && event.publishedAtMs !== null
        ? {
            version: publishedVersion,
            publishedAt: iso(event.publishedAtMs),
            url: `/api/events/${eventId}/montage?v=${publishedVersion}&size=preview`,
            downloadUrl: `/api/events/${eventId}/montage?v=${publishedVersion}&size=full&download=1`,
          }
        : null,
    archive: maySeeImages && event.photos.length > 0 ? { url: `/api/events/${eventId}/archive`, photoCount: event.photos.length, sizeBytes: await archivePhotoBytes(options.engine, event.photos) } : null,
    sites: siteAcks(siteIds, null).map((s) => ({ ...s, acknowledged: true })),
    viewer: {
      userId: viewer?.userId ?? null,
      name: viewer?.name ?? null,
      isContributor,
      photoCount: viewerPhotos,
      canUpload: viewer !== null && !published && !windowOpen && viewerPhotos < limits.maxPhotosPerPerson && (isContributor || (!event.closed && contributors.size < limits.maxContributors)),
      canVote: isContributor && !published && version > 0 && viewerBallot === null && !roundClosed,
      ballot: viewerBallot,
      hasCreatorRights: creatorRights,
    },
    limits: {
      maxContributors: limits.maxContributors,
      maxPhotosPerPerson: limits.maxPhotosPerPerson,
      maxPhotoBytes: limits.maxPhotoBytes,
      ballotWindowMs: site.config.ballotWindowMs,
    },
  };
}

/** The photos' bytes in the event's ZIP: originals' sizes, or for a photo without one its display image's. */
async function archivePhotoBytes(engine: Engine, photos: readonly { originalSizeBytes: number | null; displayHash: string }[]): Promise<number> {
  const sizes = await Promise.all(photos.map(async (p) => p.originalSizeBytes ?? (await engine.blobs.sizeOf(p.displayHash)) ?? 0));
  return sizes.reduce((sum, n) => sum + n, 0);
}

/** An event being created at this site whose outcome is not known yet. */
function pendingView(options: { site: Site; engine: Engine; eventId: string; viewer: User | null }, siteIds: string[]): EventView {
  const pending = pendingCreates.get(options.eventId);
  if (!pending) throw notFound("There is no such event on this site.");
  const outcome = options.engine.node.outcome(pending.txId);
  if (publicState(outcome) === "aborted") {
    pendingCreates.delete(options.eventId);
    throw notFound(`This event was not created: ${outcome.reason ?? "a site refused"}.`);
  }
  const { site, viewer } = options;
  const { data } = pending;
  return {
    eventId: data.eventId,
    title: data.title,
    status: "pending",
    homeSite: data.homeSite,
    siteId: site.config.siteId,
    url: `${site.config.publicUrl}/e/${data.eventId}`,
    createdAt: iso(data.createdAtMs),
    creatorName: data.creatorName,
    closed: false,
    montage: { version: 0, photoCount: 0, url: null, downloadUrl: null },
    photos: [],
    contributors: [],
    round: null,
    lastAbortedRound: null,
    published: null,
    sites: siteAcks(siteIds, outcome),
    viewer: { userId: viewer?.userId ?? null, name: viewer?.name ?? null, isContributor: false, photoCount: 0, canUpload: false, canVote: false, ballot: null, hasCreatorRights: viewer?.userId === data.creatorId },
    limits: {
      maxContributors: site.config.limits.maxContributors,
      maxPhotosPerPerson: site.config.limits.maxPhotosPerPerson,
      maxPhotoBytes: site.config.limits.maxPhotoBytes,
      ballotWindowMs: site.config.ballotWindowMs,
    },
  };
}
