// The product plugged into the 2PC engine: what each transaction kind means at a site.
// Every method but `resolve` runs inside the engine's SQLite transaction (same `tx`), so the
// domain change commits together with the protocol's log record.
import type { RefusalCode } from "@/lib/errors";
import type { DomainPort } from "@/lib/twopc/ports/domain";
import type { Change, Json, Resolution, SiteId, TxId, Verdict, Vote } from "@/lib/twopc/types";
import {
  addPhotoData,
  ballotNotice,
  changeKinds,
  createEventData,
  decideRoundData,
  decideRoundResult,
  decideRoundVoteInfo,
  removePhotoData,
  roundOf,
  setClosedData,
  type BallotRecord,
} from "./changes";
import type { ProductStore } from "./ports/product-store";
import { closingFacts, photoFacts, removalFacts } from "./rule-facts";
import { closingRefusal, countedBallots, photoRefusal, removalRefusal, roundOutcome, type Limits } from "./rules";

export type DomainHooks = {
  /** A photo became visible here, or was removed, at this montage version (build the montage). */
  photoCommitted?: (eventId: string, version: number) => void;
  /** A ballot or window became known here (the home site may decide the round). */
  ballotsChanged?: (eventId: string) => void;
  roundDecided?: (eventId: string, version: number, round: number, outcome: "published" | "aborted") => void;
};

/** A NO vote: the rule's closed code travels to the coordinator; the reason is for people and logs. */
const no = (code: RefusalCode, reason: string): Verdict => ({ vote: "no", code, reason });

/**
 * The change kinds a prepared transaction holds its event with (blocking ballots and other changes).
 * set-closed is not one: it changes who may join, not the photos a ballot is about, so ballots go
 * on while it is prepared; the engine's per-key lock still serialises it with photo changes.
 */
const heldKinds: Record<string, typeof addPhotoData | typeof removePhotoData | typeof decideRoundData> = {
  [changeKinds.addPhoto]: addPhotoData,
  [changeKinds.removePhoto]: removePhotoData,
  [changeKinds.decideRound]: decideRoundData,
};

export type DomainOptions<Tx> = {
  siteId: SiteId;
  limits: Limits;
  /** How long a ballot window stays open, timed on this site's clock from when it first heard of it. */
  ballotWindowMs: number;
  /** The product store inside the engine's transaction `tx` (SQL at a site, the memory twin in the simulator). */
  storeOf: (tx: Tx) => ProductStore;
  /** This site's clock for the transaction (the time a prepared change or a window is stamped with). */
  nowMsOf: (tx: Tx) => number;
  /** Whether this site holds a blob (a photo's display, tile and original bytes must be here to vote yes). */
  hasBlob: (hash: string) => boolean;
  /** Runs `fn` once the current store transaction has returned (hooks must see it durable). */
  defer: (fn: () => void) => void;
  /** Tells live viewers of the event that it changed here (called inside the transaction; deliver after it). */
  notify?: (eventId: string, reason: string) => void;
  hooks?: DomainHooks;
};

export function createDomain<Tx>(options: DomainOptions<Tx>): DomainPort<Tx> {
  const hooks = options.hooks ?? {};
  const after = options.defer;
  const notifyChanged = options.notify ?? (() => undefined);
  const { storeOf } = options;

  return {
    check(tx: Tx, change: Change): Verdict {
      const repo = storeOf(tx);
      switch (change.kind) {
        case changeKinds.createEvent: {
          const data = createEventData.parse(change.data);
          if (change.key !== data.eventId) return no("malformed", "the key is not the event id");
          return repo.event(data.eventId) ? no("event_exists", "the event already exists") : { vote: "yes" };
        }
        case changeKinds.addPhoto: {
          const data = addPhotoData.parse(change.data);
          if (change.key !== data.eventId) return no("malformed", "the key is not the event id");
          const duplicate = repo.hasPhotoWithSha(data.eventId, data.sha256) !== undefined || repo.hasPhoto(data.photoId);
          const refusal = photoRefusal(photoFacts(repo, { eventId: data.eventId, uploaderId: data.uploaderId, limits: options.limits, duplicate }));
          if (refusal) return no(refusal.code, refusal.message);
          // The original too, when the change carries one (changes logged before originals were kept do not).
          if (!options.hasBlob(data.displayHash) || !options.hasBlob(data.tileHash) || (data.originalHash != null && !options.hasBlob(data.originalHash))) {
            return no("missing_data", "the photo's bytes have not arrived here");
          }
          return { vote: "yes" };
        }
        case changeKinds.removePhoto: {
          const data = removePhotoData.parse(change.data);
          if (change.key !== data.eventId) return no("malformed", "the key is not the event id");
          const refusal = removalRefusal(removalFacts(repo, data.eventId, data.photoId).state);
          if (refusal) return no(refusal.code, refusal.message);
          return { vote: "yes" };
        }
        case changeKinds.setClosed: {
          const data = setClosedData.parse(change.data);
          if (change.key !== data.eventId) return no("malformed", "the key is not the event id");
          const refusal = closingRefusal(closingFacts(repo, data.eventId).state);
          if (refusal) return no(refusal.code, refusal.message);
          return { vote: "yes" };
        }
        case changeKinds.decideRound: {
          const data = decideRoundData.parse(change.data);
          const key = { eventId: data.eventId, version: data.version, round: roundOf(data) };
          const event = repo.event(data.eventId);
          if (!event) return no("unknown_event", "the event does not exist here");
          if (event.montageVersion !== data.version) return no("stale_version", `version ${data.version} is not current here (${event.montageVersion})`);
          // A round this site already saw decided, or one overtaken by a newer round of the version here, is not decided again.
          const latest = repo.latestRound(data.eventId, data.version);
          if (latest && latest.round > key.round) return no("stale_round", `round ${key.round} of version ${data.version} is over here (round ${latest.round} is newer)`);
          if (repo.round(key)?.outcome != null) return no("round_closed", `round ${key.round} of version ${data.version} is already decided here`);
          if (repo.hasPrepared(data.eventId)) return no("busy", "a photo (added or removed) is prepared here");
          // Publishing needs an accept from every contributor: a YES also vouches for the home's list.
          const here = repo.contributors(data.eventId, data.version).map((c) => c.id);
          if (here.length !== data.contributors.length || !here.every((id) => data.contributors.includes(id))) {
            return no("contributors_differ", `${data.contributors.length} contributors counted by the home, ${here.length} here`);
          }
          if ((data.minContributors ?? 1) !== event.minContributors) {
            return no("contributors_differ", `the home requires ${data.minContributors ?? 1} contributors, this site ${event.minContributors}`);
          }
          const info = { ballots: repo.ballotsCastAt(key, options.siteId) };
          return { vote: "yes", info: info satisfies Json };
        }
        default:
          return no("malformed", `unknown change kind ${change.kind}`);
      }
    },

    prepare(tx: Tx, txId: TxId, change: Change): void {
      // Prepared = durable and invisible. The row blocks casting ballots (opening a window) here.
      const schema = heldKinds[change.kind];
      if (!schema) return;
      const data = schema.parse(change.data);
      storeOf(tx).holdPrepared(txId, data.eventId, change.kind, JSON.stringify(data), options.nowMsOf(tx));
    },

    commit(tx: Tx, txId: TxId, change: Change, result: Json | undefined): void {
      const repo = storeOf(tx);
      repo.releasePrepared(txId);
      switch (change.kind) {
        case changeKinds.createEvent: {
          const data = createEventData.parse(change.data);
          repo.insertEvent(data);
          notifyChanged(data.eventId, "created");
          return;
        }
        case changeKinds.addPhoto: {
          const data = addPhotoData.parse(change.data);
          const version = repo.insertPhoto(data);
          notifyChanged(data.eventId, "photo");
          after(() => hooks.photoCommitted?.(data.eventId, version));
          return;
        }
        case changeKinds.removePhoto: {
          const data = removePhotoData.parse(change.data);
          const version = repo.removePhoto(data.eventId, data.photoId);
          notifyChanged(data.eventId, "photo-removed");
          after(() => hooks.photoCommitted?.(data.eventId, version));
          return;
        }
        case changeKinds.setClosed: {
          const data = setClosedData.parse(change.data);
          repo.setClosed(data.eventId, data.closed);
          notifyChanged(data.eventId, data.closed ? "closed" : "reopened");
          return;
        }
        case changeKinds.decideRound: {
          const data = decideRoundData.parse(change.data);
          const outcome = decideRoundResult.parse(result);
          const key = { eventId: data.eventId, version: data.version, round: roundOf(data) };
          const contributors = data.contributors.map((id) => ({ id, name: data.contributorNames?.[id] ?? outcome.ballots.find((b) => b.userId === id)?.userName ?? "someone" }));
          // Every site ends with the same ballots for the round: exactly the ones the decision counted.
          repo.decideRound(key, { outcome: outcome.outcome, reason: outcome.reason, decidedAtMs: data.decidedAtMs, contributors }, outcome.ballots);
          notifyChanged(data.eventId, outcome.outcome);
          after(() => hooks.roundDecided?.(data.eventId, data.version, key.round, outcome.outcome));
          return;
        }
        default:
          throw new Error(`commit of unknown change kind ${change.kind}`);
      }
    },

    abort(tx: Tx, txId: TxId, change: Change): void {
      storeOf(tx).releasePrepared(txId);
      notifyChanged(change.key, "aborted");
    },

    resolve(change: Change, votes: ReadonlyMap<SiteId, Vote>): Resolution {
      if (change.kind !== changeKinds.decideRound) return { decision: "commit" };
      const data = decideRoundData.parse(change.data);
      const ballots: BallotRecord[] = [];
      for (const vote of votes.values()) {
        const info = decideRoundVoteInfo.safeParse(vote.info);
        if (!info.success) return { decision: "abort", code: "unreadable_ballots" satisfies RefusalCode, reason: "a site's ballots were unreadable" };
        ballots.push(...info.data.ballots);
      }
      const names = new Map([...Object.entries(data.contributorNames ?? {}), ...ballots.map((b) => [b.userId, b.userName] as const)]);
      // One ballot per person: the same person voting at two sites at once counts once (a reject wins).
      const counted = countedBallots(ballots);
      const outcome = roundOutcome(data.contributors, counted, names, data.minContributors ?? 1);
      return { decision: "commit", result: { ...outcome, ballots: counted } satisfies Json };
    },

    onMessage(tx: Tx, _from: SiteId, payload: Json): Json | undefined {
      const notice = ballotNotice.safeParse(payload);
      if (!notice.success) return { ignored: "unknown notice" };
      const n = notice.data;
      const repo = storeOf(tx);
      const event = repo.event(n.eventId);
      if (!event) return { ignored: "unknown event" };
      const key = { eventId: n.eventId, version: n.version, round: roundOf(n) };
      // A ballot counts only in the round and version it was cast in (SPEC §4.8): a late one of a
      // round decided here, or overtaken by a newer round or version, is dropped (the decision
      // already fixed that round's ballots everywhere).
      if (n.version < event.montageVersion) return { ignored: "superseded version" };
      if (repo.round(key)?.outcome != null) return { ignored: "round decided" };
      const latest = repo.latestRound(n.eventId, n.version);
      if (latest && latest.round > key.round) return { ignored: "later round" };
      // The window is timed on this site's own clock from when it heard of it, never on the
      // caster's: the home decides on its clock alone, so the outcome does not depend on the
      // sites' clocks agreeing (SPEC §4.8). The notice's deadline is the caster's view, for display.
      const nowMs = options.nowMsOf(tx);
      repo.openWindow(key, { openedAtMs: nowMs, deadlineMs: nowMs + options.ballotWindowMs });
      const { userId, userName, decision, reason, site, castAtMs } = n;
      repo.recordBallot(key, { userId, userName, decision, ...(reason === undefined ? {} : { reason }), site, castAtMs });
      notifyChanged(n.eventId, "ballot");
      after(() => hooks.ballotsChanged?.(n.eventId));
      return { recorded: true };
    },
  };
}
