// Casting a ballot at this site, shared by the command (lib/product/commands/cast-ballot.ts) and
// the simulator: who may cast, for which version and round, whether the window is still open
// here, and what is written — the ballot, the round's window (opened by the round's first ballot
// here, timed on this site's clock) — inside the caller's store transaction. The caller tells
// every other site with the returned notice (at-least-once, in the same transaction).
import type { BallotNotice } from "./changes";
import type { ProductStore } from "./ports/product-store";
import { ballotRefusal, ballotTarget, type Refusal } from "./rules";

export type BallotInput = {
  eventId: string;
  version: number;
  /** The round the person saw and voted in; absent: whichever round a ballot cast now goes into. */
  round?: number | undefined;
  user: { userId: string; name: string };
  decision: "accept" | "reject";
  /** A reject's reason (already checked against reasonText). */
  reason?: string | undefined;
  /** This site, where the ballot is cast and stored first. */
  siteId: string;
  /** This site's clock. */
  nowMs: number;
  ballotWindowMs: number;
  /**
   * How much longer than one window this site keeps taking ballots for a round it has not seen
   * decided, measured on its own clock (SPEC §4.8): the home decides the round; a site only
   * stops taking ballots once the round is surely over, so a small jump of its own clock never
   * cuts a round short for the people who vote here.
   */
  ballotGraceMs: number;
};

export type BallotCast = { ok: true; notice: BallotNotice } | { ok: false; refusal: Refusal };

/** Test-only seam: the simulator plants rule bugs through it (lib/sim/product-bugs.ts). */
export type BallotRule = typeof ballotRefusal;

export function castBallotHere(store: ProductStore, input: BallotInput, rule: BallotRule = ballotRefusal): BallotCast {
  const { eventId, version, user, nowMs } = input;
  const event = store.event(eventId);
  const latest = event ? store.latestRound(eventId, version) : undefined;
  const target = ballotTarget(latest);
  const round = input.round ?? target.round;
  const key = { eventId, version, round };
  const open = latest && latest.outcome === null && latest.round === round ? latest : undefined;
  const refusal = rule({
    eventExists: event !== undefined,
    published: event?.publishedVersion != null,
    // A contributor is anyone with a committed photo (the current version's contributors); the
    // version they vote on is checked separately, so a stale ballot is "superseded", not 403.
    isContributor: event !== undefined && store.photoCountBy(eventId, user.userId) > 0,
    currentVersion: event?.montageVersion ?? 0,
    ballotVersion: version,
    decision: input.decision,
    target,
    requestedRound: input.round,
    changePrepared: store.hasPrepared(eventId),
    alreadyCast: store.ballot(key, user.userId) !== undefined,
    // The window holds even while the home site is down and has not decided yet; past it (and
    // the grace, on this site's clock) the round is surely being decided: no more ballots here.
    windowEnded: open !== undefined && nowMs >= open.deadlineMs + input.ballotGraceMs,
    contributorCount: event ? store.contributors(eventId, event.montageVersion).length : 0,
    minContributors: event?.minContributors ?? 1,
  });
  if (refusal) return { ok: false, refusal };
  store.openWindow(key, { openedAtMs: nowMs, deadlineMs: nowMs + input.ballotWindowMs });
  const deadlineMs = store.round(key)?.deadlineMs ?? nowMs + input.ballotWindowMs;
  const reason = input.decision === "reject" && input.reason ? { reason: input.reason } : {};
  const ballot = { userId: user.userId, userName: user.name, decision: input.decision, ...reason, site: input.siteId, castAtMs: nowMs };
  store.recordBallot(key, ballot);
  return { ok: true, notice: { type: "ballot", eventId, version, round, deadlineMs, ...ballot } };
}
