// The public JSON API (SPEC §5), as zod schemas shared by the route handlers and the browser.
// docs/API.md describes the same contract for people; keep the two in step.
import { z } from "zod";

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

// ---- requests ----

export const displayName = z.string().trim().min(1, "Please enter a name.").max(40, "At most 40 characters.");
export const sessionRequest = z.object({ name: displayName });
export const createEventRequest = z.object({ title: z.string().trim().min(1, "Please give the event a title.").max(80, "At most 80 characters.") });
/** POST /api/events/:id/admin: the token of the admin link (after "#"). Its format is checked with the hash, so a malformed one is refused the same way as a wrong one. */
export const adminLinkRequest = z.object({ token: z.string().max(200) });
export const ballotRequest = z.object({ montageVersion: z.number().int().min(1), decision: z.enum(["accept", "reject"]) });

// ---- answers ----

export const sessionAnswer = z.object({ userId: z.string(), name: z.string() });
/** GET /api/session: the cookie's identity, or null without a (valid) cookie. */
export const currentSessionAnswer = z.object({ user: sessionAnswer.nullable() });

/** Per site: has it durably acknowledged (committed) this event or photo? */
export const siteAcks = z.array(z.object({ siteId: z.string(), acknowledged: z.boolean() }));

export const transactionStatus = z.enum(["pending", "committed", "aborted"]);

export const createEventAnswer = z.object({
  eventId: z.string(),
  txId: z.string(),
  status: transactionStatus,
  homeSite: z.string(),
  url: z.string(),
  /**
   * The admin link: whoever opens it gets the creator's rights on the event. Shown once: only its
   * hash is stored, so an answer replayed for the same Idempotency-Key has null here.
   */
  adminUrl: z.string().nullable(),
  sites: siteAcks,
});

/** POST /api/events/:id/admin: the session now holds the creator's rights on the event. */
export const adminLinkAnswer = z.object({ eventId: z.string(), hasCreatorRights: z.literal(true) });

/** POST /api/events/:id/close and /reopen: 200 committed, 202 pending (sites that have answered). */
export const setClosedAnswer = z.object({ eventId: z.string(), closed: z.boolean(), txId: z.string(), status: transactionStatus, sites: siteAcks });

export const addPhotoAnswer = z.object({
  photoId: z.string(),
  txId: z.string(),
  status: transactionStatus,
  montageVersion: z.number().int().nullable(),
  duplicate: z.boolean(),
  sites: siteAcks,
});

export const transactionAnswer = z.object({
  txId: z.string(),
  kind: z.string(),
  status: transactionStatus,
  reason: z.string().nullable(),
  sites: siteAcks,
});

export const eventStatus = z.enum(["pending", "open", "voting", "published"]);
export const ballotDecision = z.enum(["accept", "reject"]);

export const photoView = z.object({
  photoId: z.string(),
  uploaderId: z.string(),
  uploaderName: z.string(),
  originSite: z.string(),
  version: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  createdAt: z.string(),
  /** null when the viewer may not see the image yet (not a contributor, not published). */
  thumbUrl: z.string().nullable(),
  imageUrl: z.string().nullable(),
  /** The photo at full size, private metadata removed (GET …/photos/:photoId/original); null like thumbUrl. */
  originalUrl: z.string().nullable().optional(),
  /** When it was taken (EXIF), ISO 8601 of the camera's wall clock; null when unknown. */
  capturedAt: z.string().nullable().optional(),
  /** The viewer may remove this photo now (theirs, or they created the event; open, not voting). Absent: no. */
  removable: z.boolean().optional(),
});

export const contributorView = z.object({
  userId: z.string(),
  name: z.string(),
  photoCount: z.number().int(),
  /** Their ballot for the current round, as far as this site knows it. */
  ballot: ballotDecision.nullable(),
});

export const roundView = z.object({
  version: z.number().int(),
  deadline: z.string(),
  ballots: z.array(z.object({ userId: z.string(), name: z.string(), decision: ballotDecision, site: z.string() })),
  outcome: z.enum(["published", "aborted"]).nullable(),
  reason: z.string().nullable(),
});

export const eventView = z.object({
  eventId: z.string(),
  title: z.string(),
  status: eventStatus,
  homeSite: z.string(),
  siteId: z.string(),
  url: z.string(),
  createdAt: z.string(),
  creatorName: z.string(),
  /** The creator closed the event to new contributors (people with a photo may still add more). */
  closed: z.boolean(),
  montage: z.object({ version: z.number().int(), photoCount: z.number().int(), url: z.string().nullable(), downloadUrl: z.string().nullable() }),
  photos: z.array(photoView),
  contributors: z.array(contributorView),
  round: roundView.nullable(),
  /** The last round that ended without publishing, so the page can say why. */
  lastAbortedRound: roundView.nullable(),
  published: z.object({ version: z.number().int(), publishedAt: z.string(), url: z.string(), downloadUrl: z.string() }).nullable(),
  /** "Download all photos": a ZIP of every photo at full size; null when the viewer may not (or there are none). */
  archive: z.object({ url: z.string(), photoCount: z.number().int(), sizeBytes: z.number().int() }).nullable().optional(),
  sites: siteAcks,
  viewer: z.object({
    userId: z.string().nullable(),
    name: z.string().nullable(),
    isContributor: z.boolean(),
    photoCount: z.number().int(),
    canUpload: z.boolean(),
    canVote: z.boolean(),
    ballot: ballotDecision.nullable(),
    /** The viewer created the event or opened its admin link: they may remove any photo, close and reopen it. */
    hasCreatorRights: z.boolean(),
  }),
  limits: z.object({ maxContributors: z.number().int(), maxPhotosPerPerson: z.number().int(), maxPhotoBytes: z.number().int(), ballotWindowMs: z.number().int() }),
});

/** DELETE /api/events/:id/photos/:photoId: 200 committed, 202 pending (sites that have answered). */
export const removePhotoAnswer = z.object({
  photoId: z.string(),
  txId: z.string(),
  status: z.enum(["pending", "committed", "aborted"]),
  montageVersion: z.number().int().nullable(),
  sites: siteAcks,
});

export const ballotAnswer = z.object({ recorded: z.boolean(), decision: ballotDecision, montageVersion: z.number().int(), deadline: z.string() });

export const publishedItem = z.object({
  eventId: z.string(),
  title: z.string(),
  version: z.number().int(),
  photoCount: z.number().int(),
  contributors: z.array(z.string()),
  publishedAt: z.string(),
  montageUrl: z.string(),
  pageUrl: z.string(),
});
export const publishedAnswer = z.object({ published: z.array(publishedItem) });

export const healthAnswer = z.object({
  siteId: z.string(),
  peers: z.array(
    z.object({ siteId: z.string(), url: z.string(), reachable: z.boolean(), lastSeen: z.string().nullable(), lastError: z.string().nullable(), backlog: z.number().int() }),
  ),
  inDoubt: z.array(z.object({ txId: z.string(), coordinator: z.string(), preparedAt: z.string() })),
  /** Poison messages this site quarantined instead of crashing on them, most recently seen first. */
  quarantined: z.array(
    z.object({ from: z.string(), msgId: z.string(), txId: z.string(), type: z.string(), error: z.string(), hits: z.number().int(), firstAt: z.string(), lastAt: z.string() }),
  ),
});

/** GET /api/status/log: this site's recent log lines (info and above), newest first. */
export const statusLogAnswer = z.object({
  lines: z.array(z.object({ time: z.string(), level: z.string(), msg: z.string(), txId: z.string().optional() })),
});

/** Server-sent event on GET /api/events/:id/stream: something about the event changed. */
export const eventStreamMessage = z.object({ type: z.literal("changed"), eventId: z.string(), reason: z.string() });

export type SessionAnswer = z.infer<typeof sessionAnswer>;
export type CreateEventAnswer = z.infer<typeof createEventAnswer>;
export type AddPhotoAnswer = z.infer<typeof addPhotoAnswer>;
export type TransactionAnswer = z.infer<typeof transactionAnswer>;
export type EventView = z.infer<typeof eventView>;
export type SetClosedAnswer = z.infer<typeof setClosedAnswer>;
export type AdminLinkAnswer = z.infer<typeof adminLinkAnswer>;
export type RemovePhotoAnswer = z.infer<typeof removePhotoAnswer>;
export type PhotoView = z.infer<typeof photoView>;
export type RoundView = z.infer<typeof roundView>;
export type BallotAnswer = z.infer<typeof ballotAnswer>;
export type PublishedItem = z.infer<typeof publishedItem>;
export type HealthAnswer = z.infer<typeof healthAnswer>;
