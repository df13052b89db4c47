// The store the product needs: exactly the reads and writes of the domain port (domain.ts), the
// round decider and ballot casting, all synchronous and inside the engine's store transaction.
//
// Contract (held by lib/product/ports/product-store.contract.test.ts for both implementations):
// - Every method runs inside one engine store transaction: writes commit or vanish with the
//   protocol's log records, and reads see the writes made earlier in the same transaction.
// - Implementations: `Repo` (lib/product/repo.ts, SQL over better-sqlite3) at a site, and
//   `MemoryProductStore` (lib/product/memory-product-store.ts, over the engine's MemoryTx) in the
//   simulator, where it crashes and recovers exactly with the engine's own records.
// - Rows are plain values owned by the caller; changing one changes nothing stored.
import type { EventModel, PhotoModel, RoundModel } from "@/lib/generated/prisma/models";
import type { AddPhotoData, BallotRecord, CreateEventData } from "../changes";

/** A column as the product handles it: BigInt milliseconds as numbers. */
type Column<T> = T extends bigint ? number : T;
/** A table's row from the model Prisma generates from prisma/schema.prisma (the one definition of each table), times as numbers. */
export type RowOf<Model> = { [K in keyof Model]: Column<Model[K]> };

/** An event: `adminTokenHash` is the sha256 of its admin link's token (null before admin links); `closed` to new contributors; `minContributors` before a round can open (SPEC §1.13). */
export type EventRow = RowOf<EventModel>;

/** One round of one montage version of an event: rounds of a version are numbered from 1. */
export type RoundKey = { eventId: string; version: number; round: number };

export type RoundRow = Omit<RowOf<RoundModel>, "contributors"> & {
  /** The contributors the decision counted (null while undecided): the trail names who had not voted. */
  contributors: Contributor[] | null;
};

/** How a round ended, as the decide-round transaction committed it. */
export type RoundDecision = {
  outcome: "published" | "aborted";
  reason: string;
  decidedAtMs: number;
  contributors: readonly Contributor[];
};

/** A committed photo (its id as `photoId`, the name the add-photo change gives it). */
export type PhotoRow = Omit<RowOf<PhotoModel>, "id"> & { photoId: string };

export type Contributor = { id: string; name: string };

export interface ProductStore {
  event(eventId: string): EventRow | undefined;
  /** Creates the event (montage version 0, open) unless it exists. */
  insertEvent(data: CreateEventData): void;
  /** Closes the event to new contributors, or reopens it. */
  setClosed(eventId: string, closed: boolean): void;

  /** The event's photos here, oldest version first. */
  photos(eventId: string): PhotoRow[];
  /** The id of the event's photo with these original bytes, if any. */
  hasPhotoWithSha(eventId: string, sha256: string): string | undefined;
  /** Whether a photo with this id exists here, in any event. */
  hasPhoto(photoId: string): boolean;
  /** The photo if it is in this event here. */
  photoIn(eventId: string, photoId: string): { id: string; uploaderId: string } | undefined;
  photoCountBy(eventId: string, uploaderId: string): number;
  /** Contributors of a montage version (uploaders of its photos here), in the order they first contributed. */
  contributors(eventId: string, version: number): Contributor[];
  /** Makes the photo visible: the montage version grows by one, and the photo gets it. Returns it. */
  insertPhoto(data: AddPhotoData): number;
  /** Removes the photo; the montage version grows by one (even if the row is gone). Returns it. */
  removePhoto(eventId: string, photoId: string): number;

  /** Marks a prepared change of the event (it blocks ballots and other changes there). */
  holdPrepared(txId: string, eventId: string, kind: string, change: string, nowMs: number): void;
  releasePrepared(txId: string): void;
  hasPrepared(eventId: string): boolean;

  round(key: RoundKey): RoundRow | undefined;
  /** The version's newest round here (the highest number), decided or not. */
  latestRound(eventId: string, version: number): RoundRow | undefined;
  /** The newest undecided round of the event (its ballot window is open here). */
  openRound(eventId: string): RoundRow | undefined;
  /** Every undecided round of the events whose home is `siteId`. */
  openRoundsAtHome(siteId: string): RoundRow[];
  /** Opens the round's window if it is not open yet; an earlier deadline heard later wins. */
  openWindow(key: RoundKey, window: { openedAtMs: number; deadlineMs: number }): void;
  /**
   * Records the round's outcome once (a round row is made if none was), publishing the version
   * if so decided, and makes the round's ballots exactly `ballots` (the set the decision
   * counted, one per person), so every site ends with the same ballots. False if it was decided already.
   */
  decideRound(key: RoundKey, decision: RoundDecision, ballots: readonly BallotRecord[]): boolean;

  ballot(key: RoundKey, userId: string): BallotRecord | undefined;
  /** The round's ballots here, by cast time then user id. */
  ballots(key: RoundKey): BallotRecord[];
  /** The round's ballots cast at `siteId`, in the same order. */
  ballotsCastAt(key: RoundKey, siteId: string): BallotRecord[];
  /** Records a ballot once; a copy of the same (round, user) changes nothing. True if recorded. */
  recordBallot(key: RoundKey, ballot: BallotRecord): boolean;
}
