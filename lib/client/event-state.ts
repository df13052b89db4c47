// What the event page should say, derived purely from the event as this site sees it.
// Kept free of React so the rules can be read (and tested) in one place.
import type { EventView, RoundView } from "@/lib/api/contract";
import { formatDuration } from "./format";

export type SiteAcks = EventView["sites"];

/** Site ids that have not acknowledged yet, in their listed order. */
export function sitesWaitingFor(sites: SiteAcks): string[] {
  return sites.filter((s) => !s.acknowledged).map((s) => s.siteId);
}

/**
 * What a guest reads while a change waits for sites to confirm: how many of the servers, never
 * their ids ("waiting for 1 of the 4 servers to confirm"). The ids are on /status.
 */
export function waitingForServers(sites: SiteAcks): string {
  const waiting = sitesWaitingFor(sites).length;
  if (waiting === 0 || sites.length === 0) return "waiting for the servers to confirm";
  if (waiting === sites.length) return `waiting for the ${sites.length} servers to confirm`;
  return `waiting for ${waiting} of the ${sites.length} servers to confirm`;
}

export type UploadAvailability = { allowed: true } | { allowed: false; reason: string };

export function uploadAvailability(event: EventView, signedIn: boolean): UploadAvailability {
  const { viewer, limits } = event;
  if (event.status === "published") return { allowed: false, reason: "The montage has been published, so this event no longer takes photos." };
  if (event.status === "voting")
    return {
      allowed: false,
      reason: "Uploads are paused while the ballot window is open. If the round ends without publishing, uploads reopen for everyone.",
    };
  if (event.status === "pending") return { allowed: false, reason: "Uploads open as soon as every site has the event. This completes by itself." };
  if (!signedIn) return { allowed: false, reason: "Tell us your name above, then add your photos." };
  if (viewer.photoCount >= limits.maxPhotosPerPerson)
    return { allowed: false, reason: `You have added the maximum of ${limits.maxPhotosPerPerson} photos.` };
  if (!viewer.isContributor && event.closed)
    return { allowed: false, reason: `${event.creatorName}, who started this event, has closed it to new contributors.` };
  if (!viewer.isContributor && event.contributors.length >= limits.maxContributors)
    return { allowed: false, reason: `This event already has the maximum of ${limits.maxContributors} contributors.` };
  if (!viewer.canUpload) return { allowed: false, reason: "You can't add photos to this event right now." };
  return { allowed: true };
}

export type BallotState =
  | { kind: "published"; version: number; publishedAt: string }
  | { kind: "no-montage" }
  /** No round can open yet: the event needs more contributors (its creator's choice). */
  | { kind: "needs-contributors"; version: number; needed: number; have: number }
  /**
   * The viewer may vote in `round` (which their ballot opens when `opens`: the first round, or
   * the next one after an abort). `alone`: they are the only contributor, so accepting publishes.
   */
  | { kind: "can-vote"; version: number; round: number; opens: boolean; alone: boolean; deadline: string | null }
  | { kind: "voted"; version: number; round: number; decision: "accept" | "reject"; deadline: string | null }
  | { kind: "observer"; version: number; round: number; deadline: string | null; signedIn: boolean }
  | { kind: "waiting"; version: number; round: number; deadline: string | null };

/** The current round if it is still undecided. */
export function openRound(event: EventView): RoundView | null {
  return event.round && event.round.outcome === null ? event.round : null;
}

/** "Round 2" only when there is more than one round of the version (SPEC §1.12). */
export function roundLabel(round: number): string | null {
  return round > 1 ? `Round ${round}` : null;
}

export function ballotState(event: EventView, signedIn: boolean): BallotState {
  if (event.published) return { kind: "published", version: event.published.version, publishedAt: event.published.publishedAt };
  if (event.montage.version < 1 || event.montage.photoCount < 1) return { kind: "no-montage" };
  const open = openRound(event);
  const version = open?.version ?? event.montage.version;
  const deadline = open?.deadline ?? null;
  const next = event.viewer.nextRound;
  const round = open?.round ?? next.round;
  if (event.viewer.ballot !== null) return { kind: "voted", version, round, decision: event.viewer.ballot, deadline };
  if (!event.viewer.isContributor) return { kind: "observer", version, round, deadline, signedIn };
  if (next.opens && event.contributors.length < event.minContributors) {
    return { kind: "needs-contributors", version, needed: event.minContributors, have: event.contributors.length };
  }
  if (event.viewer.canVote) {
    const alone = event.contributors.length === 1 && event.contributors[0]?.userId === event.viewer.userId;
    return { kind: "can-vote", version, round: next.round, opens: next.opens, alone, deadline };
  }
  return { kind: "waiting", version, round, deadline };
}

/** How many contributors have accepted the round's version, out of all contributors. */
export function acceptTally(event: EventView): { accepted: number; total: number } {
  return { accepted: event.contributors.filter((c) => c.ballot === "accept").length, total: event.contributors.length };
}

const reasonWords: Record<string, string> = {
  timeout: "Time ran out before everyone had accepted.",
  deadline: "Time ran out before everyone had accepted.",
  expired: "Time ran out before everyone had accepted.",
  rejected: "A contributor rejected the montage.",
  reject: "A contributor rejected the montage.",
  missing_ballots: "Not every contributor accepted in time.",
};

/** The server's reason as a sentence ("Mia rejected the montage."); codes become words. */
export function describeReason(reason: string | null): string {
  const text = reason?.trim() ?? "";
  if (text === "") return "Not every contributor accepted.";
  const known = reasonWords[text.toLowerCase()];
  if (known) return known;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** The round that most recently ended without publishing, if nothing newer is going on. */
export function lastAbort(event: EventView): RoundView | null {
  if (event.status !== "open") return null;
  if (event.round?.outcome === "aborted") return event.round;
  return event.lastAbortedRound;
}

export function ballotWindowText(event: EventView): string {
  return formatDuration(event.limits.ballotWindowMs);
}
