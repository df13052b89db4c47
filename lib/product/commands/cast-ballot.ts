import "server-only";
import { ballotRequest, type BallotAnswer } from "@/lib/api/contract";
import { refused, unprocessable } from "@/lib/errors";
import type { CommandResult } from "@/lib/http/answer";
import type { ProductEngine, ProductSite } from "../ports/site";
import { repoOf } from "../repo";
import { castBallotHere } from "../ballot-casting";
import { ballotGraceMs } from "../rules";
import type { User } from "../session";

/**
 * Casts a ballot at this site: stored durably here first (an accept is final), opening the
 * round's window if it is the first ballot of this round, and told to every other site
 * at-least-once in the same SQLite transaction (outbox). The home site decides the round.
 */
export function castBallot(options: { site: ProductSite; engine: ProductEngine; user: User; eventId: string; body: unknown }): CommandResult<BallotAnswer> {
  const { site, engine, user, eventId } = options;
  const parsed = ballotRequest.safeParse(options.body);
  if (!parsed.success) {
    throw unprocessable('Send { "montageVersion": number, "round"?: number, "decision": "accept" | "reject", "reason"?: string }.', {
      fields: parsed.error.flatten().fieldErrors,
    });
  }
  const { montageVersion, round, decision, reason } = parsed.data;
  const siteId = site.config.siteId;
  const windowMs = site.config.ballotWindowMs;

  // A step of the engine's own: the notices it enqueues go out as soon as it is durable.
  const notice = engine.transact((tx) => {
    const cast = castBallotHere(repoOf(tx.db), {
      eventId,
      version: montageVersion,
      round,
      user,
      decision,
      reason: reason || undefined,
      siteId,
      nowMs: tx.nowMs,
      ballotWindowMs: windowMs,
      ballotGraceMs: ballotGraceMs(windowMs),
    });
    if (!cast.ok) throw refused(cast.refusal);
    for (const peer of site.config.peers) {
      engine.sendApp(tx, peer.siteId, `ballot:${eventId}:${montageVersion}:${cast.notice.round ?? 1}:${user.userId}`, cast.notice);
    }
    return cast.notice;
  });
  site.live.notify(eventId, "ballot");
  site.considerRound(eventId);
  return {
    effect: "done",
    answer: { recorded: true, decision, montageVersion, round: notice.round ?? 1, deadline: new Date(notice.deadlineMs).toISOString() },
  };
}
