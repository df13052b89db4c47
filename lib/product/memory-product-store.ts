// The product store's in-memory twin, kept in the engine's MemoryTx key/value area: it commits,
// rolls back, loses power and survives crashes exactly with the engine's own records (the
// simulator's sites run the real domain over it). Same contract as the SQL `Repo`
// (ports/product-store.ts), held to it by product-store.contract.test.ts.
//
// Layout (every value is plain JSON, never mutated once stored — a write stores a new copy):
//   p:event:<eventId>   EventDoc: the event row, its photos, rounds and ballots
//   p:photo:<photoId>   the event id of that photo (photo ids are unique across events)
//   p:prepared:<txId>   the prepared change's event id
//   p:held:<eventId>    the txIds of the event's prepared changes
//   p:events            every event id, in creation order
import type { Json } from "@/lib/twopc/types";
import { photoFields, type AddPhotoData, type BallotRecord, type CreateEventData } from "./changes";
import type { Contributor, EventRow, PhotoRow, ProductStore, RoundDecision, RoundKey, RoundRow } from "./ports/product-store";

/** The key/value part of the engine's MemoryTx this twin needs (and MemoryStore's committed view). */
export interface KeyValueTx {
  get(key: string): Json | undefined;
  put(key: string, value: Json): void;
  delete(key: string): void;
}

type StoredBallot = BallotRecord & { version: number; round: number };

export type EventDoc = {
  row: EventRow;
  photos: PhotoRow[];
  rounds: RoundRow[];
  ballots: StoredBallot[];
};

const EVENTS = "p:events";
const eventKey = (eventId: string) => `p:event:${eventId}`;
const photoKey = (photoId: string) => `p:photo:${photoId}`;
const preparedKey = (txId: string) => `p:prepared:${txId}`;
const heldKey = (eventId: string) => `p:held:${eventId}`;

function copyRound(round: RoundRow): RoundRow {
  return { ...round, contributors: round.contributors ? round.contributors.map((c) => ({ ...c })) : null };
}

/** Values under these keys are written only by this file, in the shapes above. */
function stored<T>(value: Json | undefined): T | undefined {
  return value as T | undefined;
}

const byCastTime = (a: BallotRecord, b: BallotRecord) => a.castAtMs - b.castAtMs || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
const ballotOf = ({ version: _version, round: _round, ...ballot }: StoredBallot): BallotRecord => ({ ...ballot });
const inRound = (key: RoundKey) => (x: { version: number; round: number }) => x.version === key.version && x.round === key.round;
/** A stored ballot: only the record's own fields (a caller's extra fields are not kept). */
function storedBallot(key: RoundKey, ballot: BallotRecord): StoredBallot {
  const { userId, userName, decision, reason, site, castAtMs } = ballot;
  return { version: key.version, round: key.round, userId, userName, decision, ...(reason === undefined ? {} : { reason }), site, castAtMs };
}

export class MemoryProductStore implements ProductStore {
  constructor(private readonly tx: KeyValueTx) {}

  protected doc(eventId: string): EventDoc | undefined {
    return stored<EventDoc>(this.tx.get(eventKey(eventId)));
  }

  protected putDoc(doc: EventDoc): void {
    this.tx.put(eventKey(doc.row.id), doc);
  }

  private strings(key: string): string[] {
    return stored<string[]>(this.tx.get(key)) ?? [];
  }

  event(eventId: string): EventRow | undefined {
    const doc = this.doc(eventId);
    return doc ? { ...doc.row } : undefined;
  }

  insertEvent(data: CreateEventData): void {
    if (this.doc(data.eventId)) return;
    const row: EventRow = {
      id: data.eventId,
      title: data.title,
      homeSite: data.homeSite,
      creatorId: data.creatorId,
      creatorName: data.creatorName,
      createdAtMs: data.createdAtMs,
      montageVersion: 0,
      publishedVersion: null,
      publishedAtMs: null,
      adminTokenHash: data.adminTokenHash ?? null,
      closed: false,
      minContributors: data.minContributors ?? 1,
    };
    this.putDoc({ row, photos: [], rounds: [], ballots: [] });
    this.tx.put(EVENTS, [...this.strings(EVENTS), data.eventId]);
  }

  setClosed(eventId: string, closed: boolean): void {
    const doc = this.doc(eventId);
    if (doc) this.putDoc({ ...doc, row: { ...doc.row, closed } });
  }

  photos(eventId: string): PhotoRow[] {
    return (this.doc(eventId)?.photos ?? []).map((p) => ({ ...p }));
  }

  hasPhotoWithSha(eventId: string, sha256: string): string | undefined {
    return this.doc(eventId)?.photos.find((p) => p.sha256 === sha256)?.photoId;
  }

  hasPhoto(photoId: string): boolean {
    return this.tx.get(photoKey(photoId)) !== undefined;
  }

  photoIn(eventId: string, photoId: string): { id: string; uploaderId: string } | undefined {
    const photo = this.doc(eventId)?.photos.find((p) => p.photoId === photoId);
    return photo ? { id: photo.photoId, uploaderId: photo.uploaderId } : undefined;
  }

  photoCountBy(eventId: string, uploaderId: string): number {
    return (this.doc(eventId)?.photos ?? []).filter((p) => p.uploaderId === uploaderId).length;
  }

  contributors(eventId: string, version: number): Contributor[] {
    // As the SQL: per uploader, the smallest name and the first version, ordered by that version.
    const first = new Map<string, { name: string; version: number }>();
    for (const p of this.doc(eventId)?.photos ?? []) {
      if (p.version > version) continue;
      const seen = first.get(p.uploaderId);
      if (!seen) first.set(p.uploaderId, { name: p.uploaderName, version: p.version });
      else first.set(p.uploaderId, { name: p.uploaderName < seen.name ? p.uploaderName : seen.name, version: Math.min(seen.version, p.version) });
    }
    return [...first].sort((a, b) => a[1].version - b[1].version).map(([id, { name }]) => ({ id, name }));
  }

  insertPhoto(data: AddPhotoData): number {
    const doc = this.doc(data.eventId);
    if (!doc) throw new Error(`add-photo committed for unknown event ${data.eventId}`);
    if (this.hasPhoto(data.photoId)) throw new Error(`UNIQUE constraint failed: Photo.id ${data.photoId}`);
    if (doc.photos.some((p) => p.sha256 === data.sha256)) throw new Error(`UNIQUE constraint failed: Photo.eventId, Photo.sha256`);
    const version = doc.row.montageVersion + 1;
    this.putDoc({ ...doc, row: { ...doc.row, montageVersion: version }, photos: [...doc.photos, { ...photoFields(data), version }] });
    this.tx.put(photoKey(data.photoId), data.eventId);
    return version;
  }

  removePhoto(eventId: string, photoId: string): number {
    const doc = this.doc(eventId);
    if (!doc) throw new Error(`remove-photo committed for unknown event ${eventId}`);
    const version = doc.row.montageVersion + 1;
    const photos = doc.photos.filter((p) => p.photoId !== photoId);
    this.putDoc({ ...doc, row: { ...doc.row, montageVersion: version }, photos });
    if (photos.length !== doc.photos.length) this.tx.delete(photoKey(photoId));
    return version;
  }

  holdPrepared(txId: string, eventId: string, _kind: string, _change: string, _nowMs: number): void {
    const previous = stored<string>(this.tx.get(preparedKey(txId)));
    if (previous !== undefined) this.unhold(previous, txId);
    this.tx.put(preparedKey(txId), eventId);
    this.tx.put(heldKey(eventId), [...this.strings(heldKey(eventId)), txId]);
  }

  releasePrepared(txId: string): void {
    const eventId = stored<string>(this.tx.get(preparedKey(txId)));
    if (eventId === undefined) return;
    this.tx.delete(preparedKey(txId));
    this.unhold(eventId, txId);
  }

  private unhold(eventId: string, txId: string): void {
    const rest = this.strings(heldKey(eventId)).filter((t) => t !== txId);
    if (rest.length === 0) this.tx.delete(heldKey(eventId));
    else this.tx.put(heldKey(eventId), rest);
  }

  hasPrepared(eventId: string): boolean {
    return this.strings(heldKey(eventId)).length > 0;
  }

  round(key: RoundKey): RoundRow | undefined {
    const round = this.doc(key.eventId)?.rounds.find(inRound(key));
    return round ? copyRound(round) : undefined;
  }

  latestRound(eventId: string, version: number): RoundRow | undefined {
    let latest: RoundRow | undefined;
    for (const r of this.doc(eventId)?.rounds ?? []) if (r.version === version && (!latest || r.round > latest.round)) latest = r;
    return latest ? copyRound(latest) : undefined;
  }

  openRound(eventId: string): RoundRow | undefined {
    let open: RoundRow | undefined;
    for (const r of this.doc(eventId)?.rounds ?? []) {
      if (r.outcome === null && (!open || r.version > open.version || (r.version === open.version && r.round > open.round))) open = r;
    }
    return open ? copyRound(open) : undefined;
  }

  openRoundsAtHome(siteId: string): RoundRow[] {
    const rounds: RoundRow[] = [];
    for (const eventId of this.strings(EVENTS)) {
      const doc = this.doc(eventId);
      if (doc?.row.homeSite !== siteId) continue;
      for (const r of doc.rounds) if (r.outcome === null) rounds.push(copyRound(r));
    }
    return rounds;
  }

  private putRound(doc: EventDoc, round: RoundRow): EventDoc {
    const next = { ...doc, rounds: [...doc.rounds.filter((r) => !inRound(round)(r)), round] };
    this.putDoc(next);
    return next;
  }

  openWindow(key: RoundKey, window: { openedAtMs: number; deadlineMs: number }): void {
    const doc = this.requireDoc(key.eventId);
    const existing = doc.rounds.find(inRound(key));
    const { eventId, version, round } = key;
    if (!existing) this.putRound(doc, { eventId, version, round, ...window, outcome: null, reason: null, decidedAtMs: null, contributors: null });
    else if (existing.outcome === null && existing.deadlineMs > window.deadlineMs) {
      this.putRound(doc, { ...existing, deadlineMs: window.deadlineMs, openedAtMs: Math.min(existing.openedAtMs, window.openedAtMs) });
    }
  }

  decideRound(key: RoundKey, decision: RoundDecision, ballots: readonly BallotRecord[]): boolean {
    let doc = this.requireDoc(key.eventId);
    const { eventId, version, round } = key;
    const nowMs = decision.decidedAtMs;
    const existing = doc.rounds.find(inRound(key)) ?? { eventId, version, round, openedAtMs: nowMs, deadlineMs: nowMs, outcome: null, reason: null, decidedAtMs: null, contributors: null };
    if (existing.outcome !== null) return false; // only the call that records the outcome publishes
    const contributors = decision.contributors.map((c) => ({ id: c.id, name: c.name }));
    doc = this.putRound(doc, { ...existing, outcome: decision.outcome, reason: decision.reason, decidedAtMs: nowMs, contributors });
    doc = { ...doc, ballots: [...doc.ballots.filter((b) => !inRound(key)(b)), ...ballots.map((b) => storedBallot(key, b))] };
    this.putDoc(doc);
    if (decision.outcome === "published" && doc.row.publishedVersion === null) {
      this.putDoc({ ...doc, row: { ...doc.row, publishedVersion: version, publishedAtMs: nowMs } });
    }
    return true;
  }

  ballot(key: RoundKey, userId: string): BallotRecord | undefined {
    const ballot = this.doc(key.eventId)?.ballots.find((b) => inRound(key)(b) && b.userId === userId);
    return ballot ? ballotOf(ballot) : undefined;
  }

  ballots(key: RoundKey): BallotRecord[] {
    return (this.doc(key.eventId)?.ballots ?? []).filter(inRound(key)).map(ballotOf).sort(byCastTime);
  }

  ballotsCastAt(key: RoundKey, siteId: string): BallotRecord[] {
    return this.ballots(key).filter((b) => b.site === siteId);
  }

  recordBallot(key: RoundKey, ballot: BallotRecord): boolean {
    const doc = this.requireDoc(key.eventId);
    if (doc.ballots.some((b) => inRound(key)(b) && b.userId === ballot.userId)) return false;
    this.putDoc({ ...doc, ballots: [...doc.ballots, storedBallot(key, ballot)] });
    return true;
  }

  /** As the SQL's foreign keys: rounds and ballots belong to an existing event. */
  private requireDoc(eventId: string): EventDoc {
    const doc = this.doc(eventId);
    if (!doc) throw new Error(`FOREIGN KEY constraint failed: no event ${eventId}`);
    return doc;
  }

  /** Every event id here, in creation order (the simulator's checker reads committed state with it). */
  eventIds(): string[] {
    return [...this.strings(EVENTS)];
  }

  /** The event's stored document, read-only (the simulator's checker compares sites with it). */
  eventDoc(eventId: string): Readonly<EventDoc> | undefined {
    return this.doc(eventId);
  }

  /** The txIds of prepared changes holding the event here. */
  heldBy(eventId: string): string[] {
    return this.strings(heldKey(eventId));
  }
}
