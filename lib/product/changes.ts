// What each transaction kind carries, checked with zod wherever it crosses a trust boundary
// (it arrives inside PREPARE messages from other sites).
import { z } from "zod";
import { MAX_REASON_CHARS, isPlainText } from "@/lib/api/contract";

const id = z.string().min(1).max(100);
const hash = z.string().regex(/^[0-9a-f]{64}$/);
/** A round number: rounds of one montage version are numbered from 1 (SPEC §1.12). */
const roundNumber = z.number().int().min(1).max(1_000_000);

/** The most contributors a creator may require before a round opens. */
export const MAX_MIN_CONTRIBUTORS = 200;

/**
 * A reject's reason as stored and sent between sites: plain text of one line, no control
 * characters, at most MAX_REASON_CHARS. Pages render it as text, never as markup.
 */
export const reasonText = z
  .string()
  .min(1)
  .max(MAX_REASON_CHARS)
  .refine(isPlainText, "no control characters");

export const createEventData = z.object({
  eventId: id,
  title: z.string().min(1).max(80),
  homeSite: id,
  creatorId: id,
  creatorName: z.string().min(1).max(40),
  createdAtMs: z.number().int(),
  /**
   * sha256 (hex) of the admin link's secret token: every site can check a token, none can show
   * it. Optional because create-event changes logged before admin links existed must still parse.
   */
  adminTokenHash: hash.optional(),
  /**
   * Contributors needed before a round can open (SPEC §1.13). Optional because create-event
   * changes logged before it was added must still parse; absent means 1.
   */
  minContributors: z.number().int().min(1).max(MAX_MIN_CONTRIBUTORS).optional(),
});

export const addPhotoData = z.object({
  eventId: id,
  photoId: id,
  uploaderId: id,
  uploaderName: z.string().min(1).max(40),
  originSite: id,
  sha256: hash,
  displayHash: hash,
  tileHash: hash,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  createdAtMs: z.number().int(),
  // Optional and nullable: add-photo changes logged before originals were kept must still parse.
  /** The original (full size, private metadata removed), a blob every participant must hold to vote yes. */
  originalHash: hash.nullable().optional(),
  originalType: z.enum(["jpeg", "png", "webp", "avif", "heic"]).nullable().optional(),
  originalSizeBytes: z.number().int().positive().nullable().optional(),
  /** EXIF capture time (the camera's wall clock read as UTC), or null when unknown. */
  capturedAtMs: z.number().int().nullable().optional(),
});

/** An add-photo change's photo fields with every optional one present (null when absent). */
export function photoFields(data: AddPhotoData): Required<{ [K in keyof AddPhotoData]: Exclude<AddPhotoData[K], undefined> }> {
  return { ...data, originalHash: data.originalHash ?? null, originalType: data.originalType ?? null, originalSizeBytes: data.originalSizeBytes ?? null, capturedAtMs: data.capturedAtMs ?? null };
}

export const removePhotoData = z.object({
  eventId: id,
  photoId: id,
  /** Who asked (the uploader, or the event's creator), for the log and the event's history. */
  requesterId: id,
  originSite: id,
  requestedAtMs: z.number().int(),
});

/** Close the event to new contributors (`closed: true`) or reopen it: the creator's right (SPEC §1.14). */
export const setClosedData = z.object({
  eventId: id,
  closed: z.boolean(),
  /** Who asked (the creator, or someone holding the admin link), for the log. */
  requesterId: id,
  originSite: id,
  requestedAtMs: z.number().int(),
});

export const decideRoundData = z.object({
  eventId: id,
  version: z.number().int().min(1),
  /**
   * The round of that version this transaction decides. Optional because decide-round changes
   * logged before rounds were numbered must still parse; absent means round 1.
   */
  round: roundNumber.optional(),
  /** Everyone with a committed photo in this version, as the home site sees it. */
  contributors: z.array(id),
  /**
   * Their display names, so that an abort can name who did not vote: `resolve` is pure and
   * sees only the votes, whose ballots cannot name someone who never voted. Optional because
   * decide-round changes logged before it was added must still parse.
   */
  contributorNames: z.record(id, z.string().min(1).max(40)).optional(),
  /** The event's contributors needed before it can publish, as the home holds it (absent: 1); every participant checks it against its own. */
  minContributors: z.number().int().min(1).max(MAX_MIN_CONTRIBUTORS).optional(),
  /** The home site's clock when it started deciding: the outcome's time on every site. */
  decidedAtMs: z.number().int(),
});

export const ballotRecord = z.object({
  userId: id,
  userName: z.string().min(1).max(40),
  decision: z.enum(["accept", "reject"]),
  /** Only with a reject, and only if the person gave one. */
  reason: reasonText.optional(),
  site: id,
  castAtMs: z.number().int(),
});

/** A participant's YES to decide-round carries the ballots cast at that site for the version. */
export const decideRoundVoteInfo = z.object({ ballots: z.array(ballotRecord) });

export const decideRoundResult = z.object({
  outcome: z.enum(["published", "aborted"]),
  reason: z.string(),
  ballots: z.array(ballotRecord),
});

/** Told to every other site at-least-once when a ballot is cast (no 2PC: ballots are local first). */
export const ballotNotice = ballotRecord.extend({
  type: z.literal("ballot"),
  eventId: id,
  version: z.number().int().min(1),
  /** The round the ballot was cast in (absent in notices sent before rounds were numbered: round 1). */
  round: roundNumber.optional(),
  /** The caster's own deadline, on the caster's clock: shown there, never adopted by the receiver. */
  deadlineMs: z.number().int(),
});

export const changeKinds = { createEvent: "create-event", addPhoto: "add-photo", removePhoto: "remove-photo", decideRound: "decide-round", setClosed: "set-closed" } as const;
/** The round a decide-round change or a notice names (changes logged before numbering name none: 1). */
export function roundOf(data: { round?: number | undefined }): number {
  return data.round ?? 1;
}


export type CreateEventData = z.infer<typeof createEventData>;
export type AddPhotoData = z.infer<typeof addPhotoData>;
export type RemovePhotoData = z.infer<typeof removePhotoData>;
export type SetClosedData = z.infer<typeof setClosedData>;
export type DecideRoundData = z.infer<typeof decideRoundData>;
export type BallotRecord = z.infer<typeof ballotRecord>;
export type DecideRoundResult = z.infer<typeof decideRoundResult>;
export type BallotNotice = z.infer<typeof ballotNotice>;
