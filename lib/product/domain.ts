// The product plugged into the 2PC engine: what each transaction kind means at a site.
// Every method but `resolve` runs inside the engine's SQLite transaction (same `tx`), so the
// domain change commits together with the protocol's log record.
import type { DomainPort } from "@/lib/twopc/ports/domain";
import type { Change, Json, Resolution, SiteId, TxId, Verdict, Vote } from "@/lib/twopc/types";
import type { SqliteTx } from "@/lib/store/sqlite-store";
import type { BlobStore } from "@/lib/store/blob-store";
import {
  addPhotoData,
  ballotNotice,
  changeKinds,
  createEventData,
  decideRoundData,
  decideRoundResult,
  decideRoundVoteInfo,
  removePhotoData,
  type BallotRecord,
} from "./changes";
import { repoOf } from "./repo";
import { photoRefusal, removalRefusal, roundOutcome, type Limits } from "./rules";
import { notifyChanged } from "./live";

export type DomainHooks = {
  /** A photo became visible here, or was removed, at this montage version (build the montage). */
  photoCommitted?: (eventId: string, version: number) => void;
  /** A ballot or window became known here (the home site may decide the round). */
  ballotsChanged?: (eventId: string) => void;
  roundDecided?: (eventId: string, version: number, outcome: "published" | "aborted") => void;
};

/** The change kinds a prepared transaction holds its event with (blocking ballots and other changes). */
const heldKinds: Record<string, typeof addPhotoData | typeof removePhotoData | typeof decideRoundData> = {
  [changeKinds.addPhoto]: addPhotoData,
  [changeKinds.removePhoto]: removePhotoData,
  [changeKinds.decideRound]: decideRoundData,
};

export function createDomain(options: { siteId: SiteId; limits: Limits; blobs: BlobStore; hooks?: DomainHooks }): DomainPort<SqliteTx> {
  const hooks = options.hooks ?? {};
  const after = (fn: () => void) => setImmediate(fn);

  return {
    check(tx: SqliteTx, change: Change): Verdict {
      const repo = repoOf(tx.db);
      switch (change.kind) {
        case changeKinds.createEvent: {
          const data = createEventData.parse(change.data);
          if (change.key !== data.eventId) return { vote: "no", reason: "malformed: key is not the event id" };
          return repo.event(data.eventId) ? { vote: "no", reason: "the event already exists" } : { vote: "yes" };
        }
        case changeKinds.addPhoto: {
          const data = addPhotoData.parse(change.data);
          if (change.key !== data.eventId) return { vote: "no", reason: "malformed: key is not the event id" };
          const event = repo.event(data.eventId);
          const refusal = photoRefusal({
            eventExists: event !== undefined,
            published: event?.publishedVersion != null,
            windowOpen: repo.openRound(data.eventId) !== undefined,
            uploaderPhotoCount: repo.photoCountBy(data.eventId, data.uploaderId),
            contributorCount: event ? repo.contributors(data.eventId, event.montageVersion).length : 0,
            uploaderIsContributor: repo.photoCountBy(data.eventId, data.uploaderId) > 0,
            duplicate: repo.hasPhotoWithSha(data.eventId, data.sha256) !== undefined || repo.hasPhoto(data.photoId),
            limits: options.limits,
          });
          if (refusal) return { vote: "no", reason: `${refusal.code}: ${refusal.message}` };
          if (!options.blobs.has(data.displayHash) || !options.blobs.has(data.tileHash)) {
            return { vote: "no", reason: "missing_data: the photo's bytes have not arrived here" };
          }
          return { vote: "yes" };
        }
        case changeKinds.removePhoto: {
          const data = removePhotoData.parse(change.data);
          if (change.key !== data.eventId) return { vote: "no", reason: "malformed: key is not the event id" };
          const refusal = removalRefusal(repo.removalFacts(data.eventId, data.photoId).state);
          if (refusal) return { vote: "no", reason: `${refusal.code}: ${refusal.message}` };
          return { vote: "yes" };
        }
        case changeKinds.decideRound: {
          const data = decideRoundData.parse(change.data);
          const event = repo.event(data.eventId);
          if (!event) return { vote: "no", reason: "unknown_event" };
          if (event.montageVersion !== data.version) return { vote: "no", reason: `version ${data.version} is not current here (${event.montageVersion})` };
          if (repo.hasPrepared(data.eventId)) return { vote: "no", reason: "busy: a photo (added or removed) is prepared here" };
          // Publishing needs an accept from every contributor: a YES also vouches for the home's list.
          const here = repo.contributors(data.eventId, data.version).map((c) => c.id);
          if (here.length !== data.contributors.length || !here.every((id) => data.contributors.includes(id))) {
            return { vote: "no", reason: `contributors differ: ${data.contributors.length} counted by the home, ${here.length} here` };
          }
          const info = { ballots: repo.ballotsCastAt(data.eventId, data.version, options.siteId) };
          return { vote: "yes", info: info satisfies Json };
        }
        default:
          return { vote: "no", reason: `malformed: unknown change kind ${change.kind}` };
      }
    },

    prepare(tx: SqliteTx, txId: TxId, change: Change): void {
      // Prepared = durable and invisible. The row blocks casting ballots (opening a window) here.
      const schema = heldKinds[change.kind];
      if (!schema) return;
      const data = schema.parse(change.data);
      repoOf(tx.db).holdPrepared(txId, data.eventId, change.kind, JSON.stringify(data), tx.nowMs);
    },

    commit(tx: SqliteTx, txId: TxId, change: Change, result: Json | undefined): void {
      const repo = repoOf(tx.db);
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
        case changeKinds.decideRound: {
          const data = decideRoundData.parse(change.data);
          const outcome = decideRoundResult.parse(result);
          // Every site ends with the same ballots for the version: the ones the decision counted.
          for (const ballot of outcome.ballots) repo.recordBallot(data.eventId, data.version, ballot);
          repo.decideRound(data.eventId, data.version, outcome.outcome, outcome.reason, data.decidedAtMs);
          notifyChanged(data.eventId, outcome.outcome);
          after(() => hooks.roundDecided?.(data.eventId, data.version, outcome.outcome));
          return;
        }
        default:
          throw new Error(`commit of unknown change kind ${change.kind}`);
      }
    },

    abort(tx: SqliteTx, txId: TxId, change: Change): void {
      repoOf(tx.db).releasePrepared(txId);
      notifyChanged(change.key, "aborted");
    },

    resolve(change: Change, votes: ReadonlyMap<SiteId, Vote>): Resolution {
      if (change.kind !== changeKinds.decideRound) return { decision: "commit" };
      const data = decideRoundData.parse(change.data);
      const ballots: BallotRecord[] = [];
      for (const vote of votes.values()) {
        const info = decideRoundVoteInfo.safeParse(vote.info);
        if (!info.success) return { decision: "abort", reason: "a site's ballots were unreadable" };
        ballots.push(...info.data.ballots);
      }
      const names = new Map([...Object.entries(data.contributorNames ?? {}), ...ballots.map((b) => [b.userId, b.userName] as const)]);
      const outcome = roundOutcome(data.contributors, ballots, names);
      const counted = ballots.sort((a, b) => a.castAtMs - b.castAtMs || a.userId.localeCompare(b.userId));
      return { decision: "commit", result: { ...outcome, ballots: counted } satisfies Json };
    },

    onMessage(tx: SqliteTx, _from: SiteId, payload: Json): Json | undefined {
      const notice = ballotNotice.safeParse(payload);
      if (!notice.success) return { ignored: "unknown notice" };
      const n = notice.data;
      const repo = repoOf(tx.db);
      if (!repo.event(n.eventId)) return { ignored: "unknown event" };
      const round = repo.round(n.eventId, n.version);
      if (round?.outcome == null) repo.openWindow(n.eventId, n.version, n.castAtMs, n.deadlineMs);
      const { userId, userName, decision, site, castAtMs } = n;
      repo.recordBallot(n.eventId, n.version, { userId, userName, decision, site, castAtMs });
      notifyChanged(n.eventId, "ballot");
      after(() => hooks.ballotsChanged?.(n.eventId));
      return { recorded: true };
    },
  };
}
