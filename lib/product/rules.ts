// The product's rules as pure functions: no database, no clock. The domain port and the
// commands feed them what they read; the unit tests feed them tables.
import type { RefusalCode } from "@/lib/errors";
import type { BallotRecord } from "./changes";

export type Limits = { maxContributors: number; maxPhotosPerPerson: number };

export type Refusal = { code: RefusalCode; message: string };

/** Why a site must not take a new photo for an event now, or null if it may. */
export function photoRefusal(state: {
  eventExists: boolean;
  published: boolean;
  windowOpen: boolean;
  /** The creator closed the event to new contributors. */
  closed: boolean;
  uploaderPhotoCount: number;
  contributorCount: number;
  uploaderIsContributor: boolean;
  duplicate: boolean;
  limits: Limits;
}): Refusal | null {
  if (!state.eventExists) return { code: "unknown_event", message: "This event does not exist here." };
  if (state.published) return { code: "published", message: "The montage is already published; no more photos can be added." };
  if (state.windowOpen) return { code: "window_open", message: "A ballot window is open: photos can be added again if the round is aborted." };
  if (state.duplicate) return { code: "duplicate", message: "This exact photo is already in the event." };
  if (state.closed && !state.uploaderIsContributor) {
    return { code: "event_closed", message: "The event's creator has closed it to new contributors; people who already added a photo can still add more." };
  }
  if (state.uploaderPhotoCount >= state.limits.maxPhotosPerPerson) {
    return { code: "photo_limit", message: `Each person may add at most ${state.limits.maxPhotosPerPerson} photos.` };
  }
  if (!state.uploaderIsContributor && state.contributorCount >= state.limits.maxContributors) {
    return { code: "contributor_limit", message: `This event already has ${state.limits.maxContributors} contributors, the most it can have.` };
  }
  return null;
}

/**
 * Why a photo cannot be removed now, or null if it may. `requester` is absent where the
 * question is only whether this site can take the change (a participant's vote): who may
 * remove is checked where the removal was asked.
 */
export function removalRefusal(state: {
  eventExists: boolean;
  /** The photo is in this event here. */
  photoExists: boolean;
  published: boolean;
  windowOpen: boolean;
  requester?: { isUploader: boolean; isCreator: boolean };
}): Refusal | null {
  if (!state.eventExists) return { code: "unknown_event", message: "This event does not exist here." };
  if (!state.photoExists) return { code: "unknown_photo", message: "This photo is not in the event (it may have been removed already)." };
  if (state.requester && !state.requester.isUploader && !state.requester.isCreator) {
    return { code: "not_yours", message: "Only the person who added a photo, or the event's creator, can remove it." };
  }
  if (state.published) return { code: "published", message: "The montage is already published; its photos can no longer be removed." };
  if (state.windowOpen) return { code: "window_open", message: "A ballot window is open: photos can be removed again if the round is aborted." };
  return null;
}

/**
 * Whether `userId` holds the creator's rights on the event: they created it, or their session
 * holds a grant from the event's admin link (lib/product/admin-link.ts).
 */
export function hasCreatorRights(state: { userId: string; creatorId: string; eventId: string; adminGrants: readonly string[] }): boolean {
  return state.userId === state.creatorId || state.adminGrants.includes(state.eventId);
}

/**
 * Why the event cannot be closed to new contributors, or reopened, now (null if it can).
 * `requester` is absent where the question is only whether this site can take the change (a
 * participant's vote): who may close is checked where it was asked. Closing is allowed while a
 * ballot window is open (it changes who may join, not the photos being voted on).
 */
export function closingRefusal(state: { eventExists: boolean; published: boolean; requester?: { hasCreatorRights: boolean } }): Refusal | null {
  if (!state.eventExists) return { code: "unknown_event", message: "This event does not exist here." };
  if (state.requester && !state.requester.hasCreatorRights) {
    return { code: "not_creator", message: "Only the event's creator (or someone with its admin link) can close or reopen it." };
  }
  if (state.published) return { code: "published", message: "The montage is already published; the event takes no more photos anyway." };
  return null;
}

/**
 * The round a ballot cast now goes into (SPEC §1.12): the version's open round; else, when
 * its newest round was aborted, the next one (a new round opens); else round 1 (the version
 * has no round yet). `latest` is the version's newest round here.
 */
export function ballotTarget(latest: { round: number; outcome: string | null } | undefined): { round: number; opens: boolean } {
  if (!latest) return { round: 1, opens: true };
  if (latest.outcome === null) return { round: latest.round, opens: false };
  return { round: latest.round + 1, opens: true };
}

/**
 * How long past its own view of a window's end a site still takes ballots for a round it has
 * not seen decided (ballot-casting.ts): a tenth of the window, at most 10 s.
 */
export function ballotGraceMs(windowMs: number): number {
  return Math.min(10_000, Math.ceil(windowMs / 10));
}

/** Why a ballot cannot be cast now, or null if it can. */
export function ballotRefusal(state: {
  eventExists: boolean;
  published: boolean;
  isContributor: boolean;
  currentVersion: number;
  ballotVersion: number;
  decision: "accept" | "reject";
  /** Where the ballot would go (ballotTarget). */
  target: { round: number; opens: boolean };
  /** The round the person saw and voted in, if they named one (a page always does). */
  requestedRound?: number | undefined;
  changePrepared: boolean;
  alreadyCast: boolean;
  /** The target round's window is open here but has ended on this site's clock: the home site is deciding. */
  windowEnded: boolean;
  /** The version's contributors here, and how many the event needs before a round can open. */
  contributorCount: number;
  minContributors: number;
}): Refusal | null {
  const { target } = state;
  if (!state.eventExists) return { code: "unknown_event", message: "This event does not exist here." };
  if (!state.isContributor) return { code: "not_contributor", message: "Only people who have added a photo can vote." };
  if (state.published) return { code: "published", message: "The montage is already published." };
  if (state.ballotVersion > state.currentVersion) {
    return { code: "unknown_version", message: `There is no montage version ${state.ballotVersion} here; the current one is version ${state.currentVersion}.` };
  }
  if (state.ballotVersion !== state.currentVersion) {
    return {
      code: "superseded",
      message: `Montage version ${state.ballotVersion} has been superseded by version ${state.currentVersion}; look at the new montage and vote again.`,
    };
  }
  if (state.requestedRound !== undefined && state.requestedRound < target.round) {
    return {
      code: "round_closed",
      message: `Round ${state.requestedRound} of this version has ended; a ballot of that round no longer counts.${target.opens ? ` Accepting again opens round ${target.round}.` : ` Round ${target.round} is open now.`}`,
    };
  }
  if (state.requestedRound !== undefined && state.requestedRound > target.round) {
    return { code: "unknown_round", message: `There is no round ${state.requestedRound} of this version here; the current one is round ${target.round}.` };
  }
  if (state.alreadyCast) return { code: "already_cast", message: "You have already voted in this round; a ballot is final." };
  if (target.opens && target.round > 1 && state.decision === "reject") {
    return { code: "round_closed", message: `Round ${target.round - 1} of this version has ended; there is no open round to reject. Accepting opens a new round.` };
  }
  if (target.opens && state.contributorCount < state.minContributors) {
    return {
      code: "too_few_contributors",
      message: `This event needs ${state.minContributors} contributors before a round can open; it has ${state.contributorCount}.`,
    };
  }
  if (state.windowEnded) return { code: "window_closed", message: "The ballot window of this round has ended; the round is being decided." };
  if (state.changePrepared) return { code: "busy", message: "The event is changing right now (a photo or the round's outcome is being committed). Try again in a moment." };
  return null;
}

/** One ballot per person: a reject anywhere outweighs an accept (it is the safe reading). */
export function ballotsByUser(ballots: readonly BallotRecord[]): Map<string, BallotRecord> {
  const byUser = new Map<string, BallotRecord>();
  for (const ballot of ballots) {
    const seen = byUser.get(ballot.userId);
    if (!seen || (seen.decision === "accept" && ballot.decision === "reject")) byUser.set(ballot.userId, ballot);
  }
  return byUser;
}

/**
 * The ballots a decision counts: one per person (a reject outweighs an accept, so the same
 * person voting at two sites at once counts once, as the safe reading), by cast time then user
 * id. Every site records exactly these for the round when the decision commits.
 */
export function countedBallots(ballots: readonly BallotRecord[]): BallotRecord[] {
  const byCastTime = (a: BallotRecord, b: BallotRecord) => a.castAtMs - b.castAtMs || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
  return [...ballotsByUser([...ballots].sort(byCastTime)).values()].sort(byCastTime);
}

export type RoundOutcome = { outcome: "published" | "aborted"; reason: string };

/**
 * Publish only with an accept from every contributor for this exact round of this version, and
 * only when the event has as many contributors as its creator asked for.
 */
export function roundOutcome(
  contributors: readonly string[],
  ballots: readonly BallotRecord[],
  names: ReadonlyMap<string, string>,
  minContributors = 1,
): RoundOutcome {
  if (contributors.length === 0) return { outcome: "aborted", reason: "There are no contributors." };
  if (contributors.length < minContributors) {
    return { outcome: "aborted", reason: `The event needs ${minContributors} contributors before it can be published; it has ${contributors.length}.` };
  }
  const byUser = ballotsByUser(ballots);
  const nameOf = (id: string) => names.get(id) ?? byUser.get(id)?.userName ?? "someone";
  const rejecters = contributors.filter((id) => byUser.get(id)?.decision === "reject");
  if (rejecters.length > 0) return { outcome: "aborted", reason: `${listNames(rejecters.map(nameOf))} rejected the montage.` };
  const missing = contributors.filter((id) => byUser.get(id)?.decision !== "accept");
  if (missing.length > 0) return { outcome: "aborted", reason: `Time ran out before ${listNames(missing.map(nameOf))} voted.` };
  return { outcome: "published", reason: "Everyone accepted." };
}

/**
 * Should the home site decide the round now? A reject, a full set of accepts, or the window
 * has run out — `remainingMs` as the home measures it (round-step.ts: on its monotonic clock).
 */
export function shouldDecide(state: { contributors: readonly string[]; ballots: readonly BallotRecord[]; remainingMs: number }): boolean {
  const byUser = ballotsByUser(state.ballots);
  if ([...byUser.values()].some((b) => b.decision === "reject")) return true;
  if (state.contributors.length > 0 && state.contributors.every((id) => byUser.get(id)?.decision === "accept")) return true;
  return state.remainingMs <= 0;
}

export function eventStatus(state: { published: boolean; windowOpen: boolean }): "open" | "voting" | "published" {
  if (state.published) return "published";
  return state.windowOpen ? "voting" : "open";
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
