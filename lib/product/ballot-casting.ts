// Casting a ballot at this site, shared by the command (lib/product/commands/cast-ballot.ts) and
// the simulator: who may cast, for which version, whether the window is still open here, and
// what is written — the ballot, the round's window (opened by the version's first ballot here,
// timed on this site's clock) — inside the caller's store transaction. The caller tells every
// other site with the returned notice (at-least-once, in the same transaction).
import type { BallotNotice } from "./changes";
import type { ProductStore } from "./ports/product-store";
import { ballotRefusal, type Refusal } from "./rules";

export type BallotInput = {
  eventId: string;
  version: number;
  user: { userId: string; name: string };
  decision: "accept" | "reject";
  /** This site, where the ballot is cast and stored first. */
  siteId: string;
  /** This site's clock. */
  nowMs: number;
  ballotWindowMs: number;
};

export type BallotCast = { ok: true; notice: BallotNotice } | { ok: false; refusal: Refusal };

export function castBallotHere(store: ProductStore, input: BallotInput): BallotCast {
  const { eventId, version, user, nowMs } = input;
  const event = store.event(eventId);
  const round = event ? store.round(eventId, version) : undefined;
  const refusal = ballotRefusal({
    eventExists: event !== undefined,
    published: event?.publishedVersion != null,
    // A contributor is anyone with a committed photo (the current version's contributors); the
    // version they vote on is checked separately, so a stale ballot is "superseded", not 403.
    isContributor: event !== undefined && store.photoCountBy(eventId, user.userId) > 0,
    currentVersion: event?.montageVersion ?? 0,
    ballotVersion: version,
    changePrepared: store.hasPrepared(eventId),
    roundDecided: round !== undefined && round.outcome !== null,
    alreadyCast: store.ballot(eventId, version, user.userId) !== undefined,
    // The deadline holds even while the home site is down and has not decided yet.
    windowEnded: round !== undefined && round.outcome === null && nowMs >= round.deadlineMs,
  });
  if (refusal) return { ok: false, refusal };
  store.openWindow(eventId, version, nowMs, nowMs + input.ballotWindowMs);
  const deadlineMs = store.round(eventId, version)?.deadlineMs ?? nowMs + input.ballotWindowMs;
  const ballot = { userId: user.userId, userName: user.name, decision: input.decision, site: input.siteId, castAtMs: nowMs };
  store.recordBallot(eventId, version, ballot);
  return { ok: true, notice: { type: "ballot", eventId, version, deadlineMs, ...ballot } };
}
