// The home site's round decision as a pure step: given what the home sees now, decide the round
// (start a decide-round transaction with this data), wait until the deadline, or do nothing. The
// RoundDecider (timers, retries) and the simulator (simulated time) both run it.
import type { DecideRoundData } from "./changes";
import type { ProductStore, RoundRow, Contributor } from "./ports/product-store";
import type { BallotRecord } from "./changes";
import { shouldDecide } from "./rules";

export type RoundFacts = {
  eventId: string;
  /** The home's clock. */
  nowMs: number;
  /** The event's montage version at the home. */
  currentVersion: number;
  /** The round to decide (the event's open one), if any. */
  round: RoundRow | undefined;
  /** The round version's contributors as the home counts them, and its ballots known here. */
  contributors: readonly Contributor[];
  ballots: readonly BallotRecord[];
};

export type RoundStep =
  /** No open round, or it is decided: nothing to do. */
  | { kind: "idle" }
  /** The home does not hold the round's version yet (a photo is still being applied here): look again soon. */
  | { kind: "retry" }
  /** Not yet: no reject, not everyone accepted, the deadline (on the home's clock) has not passed. */
  | { kind: "wait"; untilMs: number }
  /** Decide now, with a decide-round transaction carrying this data. */
  | { kind: "decide"; data: DecideRoundData };

export function roundStep(facts: RoundFacts): RoundStep {
  const { round } = facts;
  if (!round || round.outcome !== null) return { kind: "idle" };
  if (facts.currentVersion !== round.version) return { kind: "retry" };
  const contributors = facts.contributors.map((c) => c.id);
  if (!shouldDecide({ contributors, ballots: facts.ballots, deadlineMs: round.deadlineMs, nowMs: facts.nowMs })) {
    return { kind: "wait", untilMs: round.deadlineMs };
  }
  const contributorNames = Object.fromEntries(facts.contributors.map((c) => [c.id, c.name]));
  return { kind: "decide", data: { eventId: facts.eventId, version: round.version, contributors, contributorNames, decidedAtMs: facts.nowMs } };
}

/**
 * What `roundStep` needs, read from the home's store: the event's open round, or the round of
 * `version` when a decider is already working on that one.
 */
export function readRoundFacts(store: ProductStore, options: { eventId: string; nowMs: number; version?: number }): RoundFacts {
  const { eventId, nowMs } = options;
  const event = store.event(eventId);
  const round = options.version === undefined ? store.openRound(eventId) : store.round(eventId, options.version);
  const version = round?.version ?? 0;
  return {
    eventId,
    nowMs,
    currentVersion: event?.montageVersion ?? 0,
    round,
    contributors: round ? store.contributors(eventId, version) : [],
    ballots: round ? store.ballots(eventId, version) : [],
  };
}
