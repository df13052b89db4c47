import "server-only";
import { ballotRequest } from "@/lib/api/contract";
import { refused, unauthorized, unprocessable } from "@/lib/errors";
import type { Engine } from "@/lib/engine/engine";
import type { Site } from "@/lib/site/site";
import { repoOf } from "../repo";
import { castBallotHere } from "../ballot-casting";
import { notifyChanged } from "../live";
import { ballotGraceMs } from "../rules";
import type { User } from "../session";
import type { Answer } from "../idempotency";

/**
 * Casts a ballot at this site: stored durably here first (an accept is final), opening the
 * round's window if it is the first ballot of this round, and told to every other site
 * at-least-once in the same SQLite transaction (outbox). The home site decides the round.
 */
export function castBallot(options: { site: Site; engine: Engine; user: User | null; eventId: string; body: unknown }): Answer {
  const { site, engine, user, eventId } = options;
  if (!user) throw unauthorized("Join the event with your name before voting.");
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
  const notice = engine.node.transact((tx) => {
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
      engine.node.sendApp(tx, peer.siteId, `ballot:${eventId}:${montageVersion}:${cast.notice.round ?? 1}:${user.userId}`, cast.notice);
    }
    return cast.notice;
  });
  notifyChanged(eventId, "ballot");
  engine.rounds.consider(eventId);
  return {
    status: 200,
    body: { recorded: true, decision, montageVersion, round: notice.round ?? 1, deadline: new Date(notice.deadlineMs).toISOString() },
  };
}
