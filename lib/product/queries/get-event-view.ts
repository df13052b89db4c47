import "server-only";
import type { EventView, RoundView } from "@/lib/api/contract";
import { notFound } from "@/lib/errors";
import type { BallotModel, RoundModel } from "@/lib/generated/prisma/models";
import type { ProductEngine, ProductSite } from "../ports/site";
import { eventStatus, hasCreatorRights } from "../rules";
import { offsetClock } from "@/lib/twopc/system-ports";
import { ballotTarget } from "../rules";
import { publicState, siteAcks } from "../outcome-view";
import type { User } from "../session";

const iso = (ms: bigint | number) => new Date(Number(ms)).toISOString();


/** Rounds shown in the trail (newest first); older ones stay stored. */
const MAX_TRAIL_ROUNDS = 50;

/** The contributors a decision counted, as stored with the round (JSON written by the repo). */
function storedContributors(text: string | null): Array<{ id: string; name: string }> {
  if (text === null) return [];
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((c: unknown) => {
    if (typeof c !== "object" || c === null) return [];
    const { id, name } = c as Record<string, unknown>;
    return typeof id === "string" && typeof name === "string" ? [{ id, name }] : [];
  });
}

/**
 * The event as this site sees it, for `viewer`. Images (thumbnails, montage) are visible only
 * to contributors until the montage is published; then to everyone.
 */
export async function getEventView(options: { site: ProductSite; engine: ProductEngine; eventId: string; viewer: User | null }): Promise<EventView> {
  const { site, eventId, viewer } = options;
  const siteIds = site.config.sites.map((s) => s.siteId);
  const event = await site.prisma.event.findUnique({
    where: { id: eventId },
    include: { photos: { orderBy: { version: "asc" } }, rounds: { orderBy: [{ version: "desc" }, { round: "desc" }], take: MAX_TRAIL_ROUNDS } },
  });
  if (!event) return pendingView(options, siteIds);
  site.pendingCreates.delete(eventId);

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

  const oldestShown = event.rounds.at(-1)?.version ?? version;
  const ballotRows: BallotModel[] = event.rounds.length === 0
    ? []
    : await site.prisma.ballot.findMany({ where: { eventId, version: { gte: oldestShown } }, orderBy: [{ castAtMs: "asc" }, { userId: "asc" }] });
  const siteNowMs = offsetClock(site.config.testClockOffsetMs).nowMs();
  const toRoundView = (r: RoundModel): RoundView => {
    const ballots = ballotRows.filter((b) => b.version === r.version && b.round === r.round);
    const voted = new Set(ballots.map((b) => b.userId));
    return {
      version: r.version,
      round: r.round,
      deadline: iso(r.deadlineMs),
      remainingMs: r.outcome === null ? Math.max(0, Number(r.deadlineMs) - siteNowMs) : null,
      ballots: ballots.map((b) => ({ userId: b.userId, name: b.userName, decision: b.decision === "reject" ? "reject" : "accept", reason: b.reason, site: b.site })),
      outcome: r.outcome === "published" ? "published" : r.outcome === "aborted" ? "aborted" : null,
      reason: r.reason,
      decidedAt: r.decidedAtMs === null ? null : iso(r.decidedAtMs),
      notVoted: storedContributors(r.contributors).filter((c) => !voted.has(c.id)).map((c) => ({ userId: c.id, name: c.name })),
    };
  };
  const rounds = event.rounds.map(toRoundView);
  // The current version's newest round (rows are newest first), open or decided.
  const round = rounds.find((r) => r.version === version) ?? null;
  const lastAbortedRound = rounds.find((r) => r.outcome === "aborted") ?? null;
  const windowOpen = event.rounds.some((r) => r.outcome === null);
  const open = round !== null && round.outcome === null ? round : null;
  const ballotOf = (userId: string) => open?.ballots.find((b) => b.userId === userId)?.decision ?? null;
  const viewerBallot = viewer ? ballotOf(viewer.userId) : null;
  const viewerPhotos = viewer ? (contributors.get(viewer.userId)?.photoCount ?? 0) : 0;
  const nextRound = ballotTarget(round ?? undefined);
  const roundCanOpen = !nextRound.opens || contributors.size >= event.minContributors;
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
    rounds,
    minContributors: event.minContributors,
    published:
      publishedVersion !== null && event.publishedAtMs !== null
        ? {
            version: publishedVersion,
            publishedAt: iso(event.publishedAtMs),
            url: `/api/events/${eventId}/montage?v=${publishedVersion}&size=preview`,
            downloadUrl: `/api/events/${eventId}/montage?v=${publishedVersion}&size=full&download=1`,
          }
        : null,
    archive: maySeeImages && event.photos.length > 0 ? { url: `/api/events/${eventId}/archive`, photoCount: event.photos.length, sizeBytes: await archivePhotoBytes(site, event.photos) } : null,
    sites: siteAcks(siteIds, null).map((s) => ({ ...s, acknowledged: true })),
    viewer: {
      userId: viewer?.userId ?? null,
      name: viewer?.name ?? null,
      isContributor,
      photoCount: viewerPhotos,
      canUpload: viewer !== null && !published && !windowOpen && viewerPhotos < limits.maxPhotosPerPerson && (isContributor || (!event.closed && contributors.size < limits.maxContributors)),
      hasCreatorRights: creatorRights,
      canVote: isContributor && !published && version > 0 && viewerBallot === null && roundCanOpen,
      ballot: viewerBallot,
      nextRound,
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
async function archivePhotoBytes(site: ProductSite, photos: readonly { originalSizeBytes: number | null; displayHash: string }[]): Promise<number> {
  const sizes = await Promise.all(photos.map(async (p) => p.originalSizeBytes ?? (await site.blobs.sizeOf(p.displayHash)) ?? 0));
  return sizes.reduce((sum, n) => sum + n, 0);
}

/** An event being created at this site whose outcome is not known yet. */
function pendingView(options: { site: ProductSite; engine: ProductEngine; eventId: string; viewer: User | null }, siteIds: string[]): EventView {
  const pending = options.site.pendingCreates.get(options.eventId);
  if (!pending) throw notFound("There is no such event on this site.");
  const outcome = options.engine.outcome(pending.txId);
  if (publicState(outcome) === "aborted") {
    options.site.pendingCreates.delete(options.eventId);
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
    rounds: [],
    minContributors: data.minContributors ?? 1,
    published: null,
    sites: siteAcks(siteIds, outcome),
    viewer: {
      hasCreatorRights: viewer?.userId === data.creatorId,
      userId: viewer?.userId ?? null,
      name: viewer?.name ?? null,
      isContributor: false,
      photoCount: 0,
      canUpload: false,
      canVote: false,
      ballot: null,
      nextRound: { round: 1, opens: true },
    },
    limits: {
      maxContributors: site.config.limits.maxContributors,
      maxPhotosPerPerson: site.config.limits.maxPhotosPerPerson,
      maxPhotoBytes: site.config.limits.maxPhotoBytes,
      ballotWindowMs: site.config.ballotWindowMs,
    },
  };
}
