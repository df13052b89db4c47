// The home site's round decision as a pure step: given what the home sees now, decide the round
// (start a decide-round transaction naming that round, with this data), wait until its window
// ends, or do nothing. The RoundDecider (timers, retries) and the simulator (simulated time)
// both run it.
//
// Time (SPEC §4.8): the window's end is a DURATION the home measures itself, never an instant
// another site computed. When the home first looks at a round (in this process), it takes what
// is left of the window from the round's durable record — `deadlineMs`, stamped on the home's
// own wall clock when the home first heard of the round — bounded to [0, window]; from then on
// it counts that down on its monotonic clock, which wall-clock steps (NTP, a VM pause, an
// operator) do not move. See docs/PROTOCOL.md, "Deadlines".
import type { BallotRecord, DecideRoundData } from "./changes";
import type { Contributor, ProductStore, RoundKey, RoundRow } from "./ports/product-store";
import { shouldDecide } from "./rules";

export type RoundFacts = {
  eventId: string;
  /** The home's wall clock: only stamped on the decision (for display), never compared. */
  nowMs: number;
  /** How much of the round's window is left, as the home measures it (see windowRemainingMs). */
  remainingMs: number;
  /** The event's montage version at the home. */
  currentVersion: number;
  /** Contributors the event needs before it can publish (its creator's choice, SPEC §1.13). */
  minContributors: number;
  /** The round to decide (the event's open one, or the one a decider works on), if any. */
  round: RoundRow | undefined;
  /** The round version's contributors as the home counts them, and the round's ballots known here. */
  contributors: readonly Contributor[];
  ballots: readonly BallotRecord[];
};

export type RoundStep =
  /** No open round, or it is decided: nothing to do. */
  | { kind: "idle" }
  /** The home does not hold the round's version yet (a photo is still being applied here): look again soon. */
  | { kind: "retry" }
  /** Not yet: no reject, not everyone accepted, and `inMs` of the window are left. */
  | { kind: "wait"; inMs: number }
  /** Decide now, with a decide-round transaction carrying this data. */
  | { kind: "decide"; data: DecideRoundData };

export function roundStep(facts: RoundFacts): RoundStep {
  const { round } = facts;
  if (!round || round.outcome !== null) return { kind: "idle" };
  if (facts.currentVersion !== round.version) return { kind: "retry" };
  const contributors = facts.contributors.map((c) => c.id);
  if (!shouldDecide({ contributors, ballots: facts.ballots, remainingMs: facts.remainingMs })) {
    return { kind: "wait", inMs: facts.remainingMs };
  }
  const contributorNames = Object.fromEntries(facts.contributors.map((c) => [c.id, c.name]));
  return {
    kind: "decide",
    data: {
      eventId: facts.eventId,
      version: round.version,
      round: round.round,
      contributors,
      contributorNames,
      minContributors: facts.minContributors,
      decidedAtMs: facts.nowMs,
    },
  };
}

/**
 * What is left of a round's window when the home (re)starts timing it: its durable deadline on
 * the home's wall clock, minus that clock now, never below 0 and never above one window. A wall
 * clock that jumped while the home was not measuring can so end a round early by at most the
 * jump, or hold it open at most one window longer — and never freeze it.
 */
export function windowRemainingMs(options: { deadlineMs: number; wallNowMs: number; windowMs: number }): number {
  return Math.min(options.windowMs, Math.max(0, options.deadlineMs - options.wallNowMs));
}

export const roundKeyText = (key: RoundKey) => `${key.eventId}@${key.version}#${key.round}`;

/**
 * What `roundStep` needs, read from the home's store: the event's open round, or the round
 * `key` names when a decider is already working on that one.
 */
export function readRoundFacts(
  store: ProductStore,
  options: { eventId: string; nowMs: number; remainingMs: (round: RoundRow) => number; key?: RoundKey },
): RoundFacts {
  const { eventId, nowMs } = options;
  const event = store.event(eventId);
  const round = options.key === undefined ? store.openRound(eventId) : store.round(options.key);
  return {
    eventId,
    nowMs,
    remainingMs: round && round.outcome === null ? options.remainingMs(round) : 0,
    currentVersion: event?.montageVersion ?? 0,
    minContributors: event?.minContributors ?? 1,
    round,
    contributors: round ? store.contributors(eventId, round.version) : [],
    ballots: round ? store.ballots(round) : [],
  };
}
