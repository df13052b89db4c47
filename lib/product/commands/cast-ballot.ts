import "server-only";
import { ballotRequest } from "@/lib/api/contract";
import { refused, unauthorized, unprocessable } from "@/lib/http/app-error";
import type { Engine } from "@/lib/engine/engine";
import type { Site } from "@/lib/site/site";
import type { BallotNotice } from "../changes";
import { repoOf } from "../repo";
import { ballotRefusal } from "../rules";
import { notifyChanged } from "../live";
import type { User } from "../session";
import type { Answer } from "../idempotency";

/**
 * Casts a ballot at this site: stored durably here first (an accept is final), opening the
 * round's window if it is the first ballot of this version, and told to every other site
 * at-least-once in the same SQLite transaction (outbox). The home site decides the round.
 */
export function castBallot(options: { site: Site; engine: Engine; user: User | null; eventId: string; body: unknown }): Answer {
  const { site, engine, user, eventId } = options;
  if (!user) throw unauthorized("Join the event with your name before voting.");
  const parsed = ballotRequest.safeParse(options.body);
  if (!parsed.success) throw unprocessable('Send { "montageVersion": number, "decision": "accept" | "reject" }.', { fields: parsed.error.flatten().fieldErrors });
  const { montageVersion, decision } = parsed.data;
  const siteId = site.config.siteId;

  const notice = engine.store.transact((tx) => {
    const repo = repoOf(tx.db);
    const event = repo.event(eventId);
    const round = event ? repo.round(eventId, montageVersion) : undefined;
    const refusal = ballotRefusal({
      eventExists: event !== undefined,
      published: event?.publishedVersion != null,
      // A contributor is anyone with a committed photo (the current version's contributors); the
      // version they vote on is checked separately, so a stale ballot is "superseded", not 403.
      isContributor: event !== undefined && repo.photoCountBy(eventId, user.userId) > 0,
      currentVersion: event?.montageVersion ?? 0,
      ballotVersion: montageVersion,
      changePrepared: repo.hasPrepared(eventId),
      roundDecided: round !== undefined && round.outcome !== null,
      alreadyCast: repo.ballot(eventId, montageVersion, user.userId) !== undefined,
      // The deadline holds even while the home site is down and has not decided yet.
      windowEnded: round !== undefined && round.outcome === null && tx.nowMs >= round.deadlineMs,
    });
    if (refusal) throw refused(refusal);
    const nowMs = tx.nowMs;
    repo.openWindow(eventId, montageVersion, nowMs, nowMs + site.config.ballotWindowMs);
    const deadlineMs = repo.round(eventId, montageVersion)?.deadlineMs ?? nowMs + site.config.ballotWindowMs;
    const ballot = { userId: user.userId, userName: user.name, decision, site: siteId, castAtMs: nowMs };
    repo.recordBallot(eventId, montageVersion, ballot);
    const message: BallotNotice = { type: "ballot", eventId, version: montageVersion, deadlineMs, ...ballot };
    for (const peer of site.config.peers) {
      engine.node.sendApp(tx, peer.siteId, `ballot:${eventId}:${montageVersion}:${user.userId}`, message);
    }
    return message;
  });
  notifyChanged(eventId, "ballot");
  engine.rounds.consider(eventId);
  return { status: 200, body: { recorded: true, decision, montageVersion, deadline: new Date(notice.deadlineMs).toISOString() } };
}
