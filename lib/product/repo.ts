// Synchronous SQL over the site's durable connection, used inside engine transactions (the
// domain port) and by commands that must read and write atomically (casting a ballot).
// Reads for pages go through Prisma Client instead (lib/product/queries).
import type Database from "better-sqlite3";
import type { SqliteRow } from "@/lib/db/sqlite-row";
import type { BallotModel, EventModel, PhotoModel, RoundModel } from "@/lib/generated/prisma/models";
import { ballotRecord, photoFields, type AddPhotoData, type BallotRecord, type CreateEventData } from "./changes";
import { z } from "zod";
import type { Contributor, EventRow, PhotoRow, ProductStore, RoundDecision, RoundKey, RoundRow } from "./ports/product-store";

export type { EventRow, RoundRow, PhotoRow } from "./ports/product-store";

const BALLOT_COLUMNS = "userId, userName, decision, reason, site, castAtMs";

type BallotSqlRow = Omit<SqliteRow<BallotModel>, "eventId" | "version" | "round">;
type RoundSqlRow = SqliteRow<RoundModel>;

const storedContributors = z.array(z.object({ id: z.string(), name: z.string() }));

/** A ballot row without the columns SQL fills with NULL (a ballot without a reason has none). */
function ballotOf(row: BallotSqlRow): BallotRecord {
  const { reason, decision, ...rest } = row;
  const ballot = { ...rest, decision: ballotRecord.shape.decision.parse(decision) };
  return reason === null ? ballot : { ...ballot, reason };
}

function roundOf(row: RoundSqlRow | undefined): RoundRow | undefined {
  if (!row) return undefined;
  // Written only by decideRound below; a row from before the column existed has NULL.
  const contributors = row.contributors === null ? null : storedContributors.parse(JSON.parse(row.contributors));
  return { ...row, contributors };
}

const cache = new WeakMap<Database.Database, Repo>();

/** The repository of one database connection (statements are prepared once). */
export function repoOf(db: Database.Database): Repo {
  let repo = cache.get(db);
  if (!repo) {
    repo = new Repo(db);
    cache.set(db, repo);
  }
  return repo;
}

/** The product store on SQLite (see ports/product-store.ts for the contract). */
export class Repo implements ProductStore {
  private readonly s;

  constructor(readonly db: Database.Database) {
    this.s = {
      event: db.prepare(`SELECT * FROM "Event" WHERE id = ?`),
      insertEvent: db.prepare(
        `INSERT OR IGNORE INTO "Event" (id, title, homeSite, creatorId, creatorName, createdAtMs, adminTokenHash, minContributors) VALUES (@eventId, @title, @homeSite, @creatorId, @creatorName, @createdAtMs, @adminTokenHash, @minContributors)`,
      ),
      setClosed: db.prepare(`UPDATE "Event" SET closed = ? WHERE id = ?`),
      bumpVersion: db.prepare(`UPDATE "Event" SET montageVersion = montageVersion + 1 WHERE id = ? RETURNING montageVersion`),
      publish: db.prepare(`UPDATE "Event" SET publishedVersion = ?, publishedAtMs = ? WHERE id = ? AND publishedVersion IS NULL`),
      photos: db.prepare(`SELECT * FROM "Photo" WHERE eventId = ? ORDER BY version`),
      photoBySha: db.prepare(`SELECT id FROM "Photo" WHERE eventId = ? AND sha256 = ?`),
      photoById: db.prepare(`SELECT id FROM "Photo" WHERE id = ?`),
      photoOf: db.prepare(`SELECT id, uploaderId FROM "Photo" WHERE id = ? AND eventId = ?`),
      deletePhoto: db.prepare(`DELETE FROM "Photo" WHERE id = ? AND eventId = ?`),
      photoVersion: db.prepare(`SELECT version FROM "Photo" WHERE id = ?`),
      photoCountBy: db.prepare(`SELECT COUNT(*) AS n FROM "Photo" WHERE eventId = ? AND uploaderId = ?`),
      contributors: db.prepare(`SELECT uploaderId AS id, MIN(uploaderName) AS name FROM "Photo" WHERE eventId = ? AND version <= ? GROUP BY uploaderId ORDER BY MIN(version)`),
      insertPhoto: db.prepare(
        `INSERT INTO "Photo" (id, eventId, uploaderId, uploaderName, originSite, sha256, displayHash, tileHash, width, height, version, createdAtMs, originalHash, originalType, originalSizeBytes, capturedAtMs)
         VALUES (@photoId, @eventId, @uploaderId, @uploaderName, @originSite, @sha256, @displayHash, @tileHash, @width, @height, @version, @createdAtMs, @originalHash, @originalType, @originalSizeBytes, @capturedAtMs)`,
      ),
      insertPrepared: db.prepare(`INSERT OR REPLACE INTO "PreparedChange" (txId, eventId, kind, change, createdAtMs) VALUES (?, ?, ?, ?, ?)`),
      deletePrepared: db.prepare(`DELETE FROM "PreparedChange" WHERE txId = ?`),
      preparedCount: db.prepare(`SELECT COUNT(*) AS n FROM "PreparedChange" WHERE eventId = ?`),
      round: db.prepare(`SELECT * FROM "Round" WHERE eventId = ? AND version = ? AND round = ?`),
      latestRound: db.prepare(`SELECT * FROM "Round" WHERE eventId = ? AND version = ? ORDER BY round DESC LIMIT 1`),
      openRound: db.prepare(`SELECT * FROM "Round" WHERE eventId = ? AND outcome IS NULL ORDER BY version DESC, round DESC LIMIT 1`),
      openRoundsAtHome: db.prepare(`SELECT r.* FROM "Round" r JOIN "Event" e ON e.id = r.eventId WHERE r.outcome IS NULL AND e.homeSite = ?`),
      insertRound: db.prepare(`INSERT INTO "Round" (eventId, version, round, openedAtMs, deadlineMs) VALUES (?, ?, ?, ?, ?)`),
      earlierDeadline: db.prepare(
        `UPDATE "Round" SET deadlineMs = ?, openedAtMs = MIN(openedAtMs, ?) WHERE eventId = ? AND version = ? AND round = ? AND outcome IS NULL AND deadlineMs > ?`,
      ),
      decideRound: db.prepare(
        `UPDATE "Round" SET outcome = ?, reason = ?, decidedAtMs = ?, contributors = ? WHERE eventId = ? AND version = ? AND round = ? AND outcome IS NULL`,
      ),
      ballot: db.prepare(`SELECT ${BALLOT_COLUMNS} FROM "Ballot" WHERE eventId = ? AND version = ? AND round = ? AND userId = ?`),
      ballots: db.prepare(`SELECT ${BALLOT_COLUMNS} FROM "Ballot" WHERE eventId = ? AND version = ? AND round = ? ORDER BY castAtMs, userId`),
      ballotsAt: db.prepare(`SELECT ${BALLOT_COLUMNS} FROM "Ballot" WHERE eventId = ? AND version = ? AND round = ? AND site = ? ORDER BY castAtMs, userId`),
      deleteBallots: db.prepare(`DELETE FROM "Ballot" WHERE eventId = ? AND version = ? AND round = ?`),
      insertBallot: db.prepare(
        `INSERT OR IGNORE INTO "Ballot" (eventId, version, round, userId, userName, decision, reason, site, castAtMs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  event(eventId: string): EventRow | undefined {
    const row = this.s.event.get(eventId) as SqliteRow<EventModel> | undefined;
    return row ? { ...row, closed: row.closed !== 0 } : undefined;
  }

  insertEvent(data: CreateEventData): void {
    this.s.insertEvent.run({ ...data, adminTokenHash: data.adminTokenHash ?? null, minContributors: data.minContributors ?? 1 });
  }

  setClosed(eventId: string, closed: boolean): void {
    this.s.setClosed.run(closed ? 1 : 0, eventId);
  }

  photos(eventId: string): PhotoRow[] {
    return (this.s.photos.all(eventId) as Array<SqliteRow<PhotoModel>>).map(({ id, ...rest }) => ({ photoId: id, ...rest }));
  }

  hasPhotoWithSha(eventId: string, sha256: string): string | undefined {
    return (this.s.photoBySha.get(eventId, sha256) as { id: string } | undefined)?.id;
  }

  photoVersion(photoId: string): number | undefined {
    return (this.s.photoVersion.get(photoId) as { version: number } | undefined)?.version;
  }

  hasPhoto(photoId: string): boolean {
    return this.s.photoById.get(photoId) !== undefined;
  }

  photoCountBy(eventId: string, uploaderId: string): number {
    return (this.s.photoCountBy.get(eventId, uploaderId) as { n: number }).n;
  }

  /** Contributors of a montage version, in the order they first contributed. */
  contributors(eventId: string, version: number): Contributor[] {
    return this.s.contributors.all(eventId, version) as Contributor[];
  }

  /** Makes the photo visible and returns the new montage version. */
  insertPhoto(data: AddPhotoData): number {
    const row = this.s.bumpVersion.get(data.eventId) as { montageVersion: number } | undefined;
    if (!row) throw new Error(`add-photo committed for unknown event ${data.eventId}`);
    this.s.insertPhoto.run({ ...photoFields(data), version: row.montageVersion });
    return row.montageVersion;
  }

  /** The photo if it is in this event here. */
  photoIn(eventId: string, photoId: string): { id: string; uploaderId: string } | undefined {
    return this.s.photoOf.get(photoId, eventId) as { id: string; uploaderId: string } | undefined;
  }

  /**
   * Removes the photo and returns the new montage version. The version grows even if the row is
   * already gone (it cannot be, under the prepared lock): every site's version stays the same.
   */
  removePhoto(eventId: string, photoId: string): number {
    const row = this.s.bumpVersion.get(eventId) as { montageVersion: number } | undefined;
    if (!row) throw new Error(`remove-photo committed for unknown event ${eventId}`);
    this.s.deletePhoto.run(photoId, eventId);
    return row.montageVersion;
  }

  holdPrepared(txId: string, eventId: string, kind: string, change: string, nowMs: number): void {
    this.s.insertPrepared.run(txId, eventId, kind, change, nowMs);
  }

  releasePrepared(txId: string): void {
    this.s.deletePrepared.run(txId);
  }

  hasPrepared(eventId: string): boolean {
    return (this.s.preparedCount.get(eventId) as { n: number }).n > 0;
  }

  round(key: RoundKey): RoundRow | undefined {
    return roundOf(this.s.round.get(key.eventId, key.version, key.round) as RoundSqlRow | undefined);
  }

  latestRound(eventId: string, version: number): RoundRow | undefined {
    return roundOf(this.s.latestRound.get(eventId, version) as RoundSqlRow | undefined);
  }

  openRound(eventId: string): RoundRow | undefined {
    return roundOf(this.s.openRound.get(eventId) as RoundSqlRow | undefined);
  }

  openRoundsAtHome(siteId: string): RoundRow[] {
    return (this.s.openRoundsAtHome.all(siteId) as RoundSqlRow[]).map((r) => roundOf(r) as RoundRow);
  }

  /** Opens the round's window if it is not open yet; an earlier deadline heard later wins. */
  openWindow(key: RoundKey, window: { openedAtMs: number; deadlineMs: number }): void {
    const { eventId, version, round } = key;
    if (!this.round(key)) this.s.insertRound.run(eventId, version, round, window.openedAtMs, window.deadlineMs);
    else this.s.earlierDeadline.run(window.deadlineMs, window.openedAtMs, eventId, version, round, window.deadlineMs);
  }

  decideRound(key: RoundKey, decision: RoundDecision, ballots: readonly BallotRecord[]): boolean {
    const { eventId, version, round } = key;
    const nowMs = decision.decidedAtMs;
    if (!this.round(key)) this.s.insertRound.run(eventId, version, round, nowMs, nowMs);
    const contributors = JSON.stringify(decision.contributors.map((c) => ({ id: c.id, name: c.name })));
    // Only the call that records the outcome publishes: a decided round is never decided again.
    const recorded = this.s.decideRound.run(decision.outcome, decision.reason, nowMs, contributors, eventId, version, round).changes > 0;
    if (!recorded) return false;
    // The round's ballots become exactly the counted ones, the same on every site.
    this.s.deleteBallots.run(eventId, version, round);
    for (const ballot of ballots) this.recordBallot(key, ballot);
    if (decision.outcome === "published") this.s.publish.run(version, nowMs, eventId);
    return true;
  }

  ballot(key: RoundKey, userId: string): BallotRecord | undefined {
    const row = this.s.ballot.get(key.eventId, key.version, key.round, userId) as BallotSqlRow | undefined;
    return row ? ballotOf(row) : undefined;
  }

  ballots(key: RoundKey): BallotRecord[] {
    return (this.s.ballots.all(key.eventId, key.version, key.round) as BallotSqlRow[]).map(ballotOf);
  }

  ballotsCastAt(key: RoundKey, siteId: string): BallotRecord[] {
    return (this.s.ballotsAt.all(key.eventId, key.version, key.round, siteId) as BallotSqlRow[]).map(ballotOf);
  }

  /** Records a ballot once; a copy of the same ballot arriving again changes nothing. */
  recordBallot(key: RoundKey, ballot: BallotRecord): boolean {
    const { eventId, version, round } = key;
    return this.s.insertBallot.run(eventId, version, round, ballot.userId, ballot.userName, ballot.decision, ballot.reason ?? null, ballot.site, ballot.castAtMs).changes > 0;
  }
}
