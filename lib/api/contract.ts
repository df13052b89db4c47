// The public JSON API (SPEC §5), as zod schemas shared by the route handlers and the browser.
// docs/API.md describes the same contract for people; keep the two in step.
import { z } from "zod";

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

// ---- requests ----

/** A display name, NFC-normalised (so "é" is one character however it was typed) and trimmed; what it may hold: lib/product/display-name.ts. */
export const displayName = z.string().normalize("NFC").trim().min(1, "Please enter a name.").max(40, "At most 40 characters.");
export const sessionRequest = z.object({ name: displayName });
/** POST /api/events/:id/admin: the token of the admin link (after "#"). Its format is checked with the hash, so a malformed one is refused the same way as a wrong one. */
export const adminLinkRequest = z.object({ token: z.string().max(200) });
export const createEventRequest = z.object({
  title: z.string().trim().min(1, "Please give the event a title.").max(80, "At most 80 characters."),
  /** Contributors needed before a round can open (default 1); at most the site's MAX_CONTRIBUTORS (checked by the command). */
  minContributors: z.number().int("A whole number, please.").min(1, "At least 1.").max(200, "At most 200.").optional(),
});
/** The longest reject reason, in characters (lib/product/changes.ts checks the same between sites). */
export const MAX_REASON_CHARS = 200;

/** Plain text of one line: no control characters (C0, DEL). */
export function isPlainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}
export const ballotRequest = z
  .object({
    montageVersion: z.number().int().min(1),
    /** The round the person saw and votes in; absent: the open round, or a new one after an abort. */
    round: z.number().int().min(1).max(1_000_000).optional(),
    decision: z.enum(["accept", "reject"]),
    /** Why, with a reject (plain text, one line; blank counts as none). */
    reason: z
      .string()
      .max(MAX_REASON_CHARS * 4, `At most ${MAX_REASON_CHARS} characters.`)
      .transform((s) => s.replace(/\s+/g, " ").trim())
      .pipe(
        z
          .string()
          .max(MAX_REASON_CHARS, `At most ${MAX_REASON_CHARS} characters.`)
          .refine(isPlainText, "Plain text only: no control characters."),
      )
      .optional(),
  })
  .refine((b) => b.decision === "reject" || !b.reason, { message: "A reason goes with a reject.", path: ["reason"] });

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
  /** Rounds of one montage version are numbered from 1; a new one opens when someone accepts again after an abort. */
  round: z.number().int(),
  /** The end of the window on this site's clock (display only: the event's home site decides). */
  deadline: z.string(),
  /** How much of the window is left as this site sees it now (null once decided): count down from when the answer arrived. */
  remainingMs: z.number().int().nullable(),
  ballots: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      decision: ballotDecision,
      /** A reject's reason, plain text (render it as text). */
      reason: z.string().nullable(),
      site: z.string(),
    }),
  ),
  outcome: z.enum(["published", "aborted"]).nullable(),
  reason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** Once decided: the contributors the decision counted who had cast no ballot. */
  notVoted: z.array(z.object({ userId: z.string(), name: z.string() })),
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
  /** The audit trail: every round of the event, newest first (at most 50). */
  rounds: z.array(roundView),
  /** Contributors the event needs before a round can open (its creator's choice). */
  minContributors: z.number().int(),
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
    /** The round a ballot cast now goes into, and whether casting it opens that round. */
    nextRound: z.object({ round: z.number().int(), opens: z.boolean() }),
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

export const ballotAnswer = z.object({ recorded: z.boolean(), decision: ballotDecision, montageVersion: z.number().int(), round: z.number().int(), deadline: z.string() });

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
