// The domain port (lib/product/domain.ts) on a real, migrated in-memory SQLite database: what a
// site votes for each change, what commit/abort do to its replica, and how the home site
// resolves a decide-round from the votes' ballots. No engine, no network.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { migrate } from "@/lib/db/migrate";
import { SqliteStore, type SqliteTx } from "@/lib/store/sqlite-store";
import { BlobStore } from "@/lib/store/blob-store";
import type { Change, Json, Vote } from "@/lib/twopc/types";
import type { RefusalCode } from "@/lib/errors";
import { createDomain } from "./domain";
import { changeKinds, decideRoundResult, type AddPhotoData, type BallotNotice, type BallotRecord, type CreateEventData, type DecideRoundData, type RemovePhotoData, type SetClosedData } from "./changes";
import { repoOf } from "./repo";

const EVENT = "ev_aaaaaaaaaaaa";
const limits = { maxContributors: 2, maxPhotosPerPerson: 2 };
const WINDOW_MS = 120_000;

function setup(siteId = "s0") {
  const db = new Database(":memory:");
  migrate(db);
  let nowMs = 10_000;
  const store = new SqliteStore(db, () => nowMs);
  const dir = mkdtempSync(join(tmpdir(), "groupshot-domain-"));
  const blobs = new BlobStore(dir);
  const domain = createDomain<SqliteTx>({
    siteId,
    limits,
    ballotWindowMs: WINDOW_MS,
    storeOf: (tx) => repoOf(tx.db),
    nowMsOf: (tx) => tx.nowMs,
    hasBlob: (hash) => blobs.has(hash),
    defer: (fn) => setImmediate(fn),
  });
  let seq = 0;
  const world = {
    db,
    repo: repoOf(db),
    domain,
    blobs,
    setNow: (ms: number) => (nowMs = ms),
    check: (change: Change) => store.transact((tx) => domain.check(tx, change)),
    prepare: (txId: string, change: Change) => store.transact((tx) => domain.prepare(tx, txId, change)),
    commit: (txId: string, change: Change, result?: Json) => store.transact((tx) => domain.commit(tx, txId, change, result)),
    abort: (txId: string, change: Change) => store.transact((tx) => domain.abort(tx, txId, change)),
    message: (payload: Json) => store.transact((tx) => domain.onMessage(tx, "s1", payload, "k")),
    /** Prepares and commits, as the engine would after every site voted yes. */
    apply: (change: Change, result?: Json) => {
      const txId = `s0.tx${++seq}`;
      world.prepare(txId, change);
      world.commit(txId, change, result);
    },
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

function createEvent(overrides: Partial<CreateEventData> = {}): Change {
  const data: CreateEventData = { eventId: EVENT, title: "Picnic", homeSite: "s0", creatorId: "u_creator", creatorName: "Cora", createdAtMs: 1, ...overrides };
  return { key: data.eventId, kind: changeKinds.createEvent, data };
}

let photoSeq = 0;
/** An add-photo change whose display and tile bytes are stored in `blobs` (unless told not to). */
function addPhoto(blobs: BlobStore, overrides: Partial<AddPhotoData> & { storeBlobs?: boolean } = {}): Change {
  const n = ++photoSeq;
  const { storeBlobs = true, ...rest } = overrides;
  const display = new TextEncoder().encode(`display ${n}`);
  const tile = new TextEncoder().encode(`tile ${n}`);
  const displayHash = storeBlobs ? blobs.write(display) : "d".repeat(64);
  const tileHash = storeBlobs ? blobs.write(tile) : "e".repeat(64);
  const data: AddPhotoData = {
    eventId: EVENT,
    photoId: `ph_${String(n).padStart(12, "p")}`,
    uploaderId: "u_ana",
    uploaderName: "Ana",
    originSite: "s0",
    sha256: String(n).padStart(64, "0"),
    displayHash,
    tileHash,
    width: 64,
    height: 48,
    createdAtMs: 2,
    ...rest,
  };
  return { key: data.eventId, kind: changeKinds.addPhoto, data };
}

function decideRound(version: number, contributors: string[], contributorNames?: Record<string, string>, round?: number): Change {
  const data: DecideRoundData = {
    eventId: EVENT,
    version,
    contributors,
    decidedAtMs: 50_000,
    ...(contributorNames ? { contributorNames } : {}),
    ...(round === undefined ? {} : { round }),
  };
  return { key: EVENT, kind: changeKinds.decideRound, data };
}

function notice(overrides: Partial<BallotNotice> = {}): BallotNotice {
  return { type: "ballot", eventId: EVENT, version: 1, userId: "u_ana", userName: "Ana", decision: "accept", site: "s1", castAtMs: 20_000, deadlineMs: 30_000, ...overrides };
}

function ballot(userId: string, decision: "accept" | "reject", site = "s0"): BallotRecord {
  return { userId, userName: userId.slice(2), decision, site, castAtMs: 20_000 };
}

const yes = (ballots: BallotRecord[]): Vote => ({ vote: "yes", info: { ballots } });
const r = (version: number, round = 1) => ({ eventId: EVENT, version, round });

// ---- create event ----

test("create-event: yes for a new event, no once it exists, no when the key is not the event id", (t) => {
  const w = setup();
  t.after(w.cleanup);
  assert.deepEqual(w.check(createEvent()), { vote: "yes" });
  assert.equal(w.check({ ...createEvent(), key: "ev_bbbbbbbbbbbb" }).vote, "no");
  w.apply(createEvent());
  const again = w.check(createEvent());
  assert.equal(again.vote, "no");
  assert.equal(w.repo.event(EVENT)?.title, "Picnic");
  assert.equal(w.repo.event(EVENT)?.montageVersion, 0);
});

test("create-event: malformed data is refused by the schema, never applied", (t) => {
  const w = setup();
  t.after(w.cleanup);
  assert.throws(() => w.check({ key: EVENT, kind: changeKinds.createEvent, data: { eventId: EVENT, title: "" } }));
  assert.equal(w.repo.event(EVENT), undefined);
});

// ---- add photo ----

test("add-photo: yes on an open event; commit makes it visible and bumps the version", (t) => {
  const w = setup();
  t.after(w.cleanup);
  w.apply(createEvent());
  const change = addPhoto(w.blobs);
  assert.deepEqual(w.check(change), { vote: "yes" });
  w.apply(change);
  assert.equal(w.repo.event(EVENT)?.montageVersion, 1);
  assert.deepEqual(
    w.repo.contributors(EVENT, 1).map((c) => c.id),
    ["u_ana"],
  );
  const second = addPhoto(w.blobs, { uploaderId: "u_ben", uploaderName: "Ben" });
  w.apply(second);
  assert.equal(w.repo.event(EVENT)?.montageVersion, 2);
  assert.deepEqual(
    w.repo.photos(EVENT).map((p) => p.version),
    [1, 2],
  );
});

test("add-photo: the original and capture time are stored with the photo; a change logged without them still commits", (t) => {
  const w = setup();
  t.after(w.cleanup);
  w.apply(createEvent());
  const originalHash = w.blobs.write(new TextEncoder().encode("original bytes"));
  const withOriginal = addPhoto(w.blobs, { originalHash, originalType: "heic", originalSizeBytes: 14, capturedAtMs: 1_777_900_455_000 });
  assert.deepEqual(w.check(withOriginal), { vote: "yes" });
  w.apply(withOriginal);
  // An add-photo logged before originals were kept (no such fields) parses and commits.
  w.apply(addPhoto(w.blobs, { uploaderId: "u_ben", uploaderName: "Ben" }));
  const [first, old] = w.repo.photos(EVENT);
  assert.deepEqual([first?.originalHash, first?.originalType, first?.originalSizeBytes, first?.capturedAtMs], [originalHash, "heic", 14, 1_777_900_455_000]);
  assert.deepEqual([old?.originalHash, old?.originalType, old?.originalSizeBytes, old?.capturedAtMs], [null, null, null, null]);
});

test("add-photo: every reason to vote no", async (t) => {
  const cases: Array<{ name: string; arrange: (w: ReturnType<typeof setup>) => Change; code: RefusalCode }> = [
    { name: "unknown event", arrange: (w) => addPhoto(w.blobs, { eventId: "ev_zzzzzzzzzzzz" }), code: "unknown_event" },
    { name: "key is not the event id", arrange: (w) => ({ ...addPhoto(w.blobs), key: "ev_zzzzzzzzzzzz" }), code: "malformed" },
    {
      name: "a ballot window is open here",
      arrange: (w) => {
        w.apply(addPhoto(w.blobs));
        w.message(notice());
        return addPhoto(w.blobs, { uploaderId: "u_ben", uploaderName: "Ben" });
      },
      code: "window_open",
    },
    {
      name: "the same bytes are already in the event",
      arrange: (w) => {
        const first = addPhoto(w.blobs);
        w.apply(first);
        return addPhoto(w.blobs, { sha256: (first.data as AddPhotoData).sha256 });
      },
      code: "duplicate",
    },
    {
      name: "the photo id already exists (a retried PREPARE of a committed photo)",
      arrange: (w) => {
        const first = addPhoto(w.blobs);
        w.apply(first);
        return addPhoto(w.blobs, { photoId: (first.data as AddPhotoData).photoId });
      },
      code: "duplicate",
    },
    {
      name: "photos per person",
      arrange: (w) => {
        w.apply(addPhoto(w.blobs));
        w.apply(addPhoto(w.blobs));
        return addPhoto(w.blobs);
      },
      code: "photo_limit",
    },
    {
      name: "contributors per event",
      arrange: (w) => {
        w.apply(addPhoto(w.blobs, { uploaderId: "u_ana" }));
        w.apply(addPhoto(w.blobs, { uploaderId: "u_ben" }));
        return addPhoto(w.blobs, { uploaderId: "u_cleo" });
      },
      code: "contributor_limit",
    },
    {
      name: "published",
      arrange: (w) => {
        w.apply(addPhoto(w.blobs));
        w.apply(decideRound(1, ["u_ana"]), { outcome: "published", reason: "Everyone accepted.", ballots: [ballot("u_ana", "accept")] });
        return addPhoto(w.blobs, { uploaderId: "u_ben" });
      },
      code: "published",
    },
    { name: "the bytes have not arrived here", arrange: (w) => addPhoto(w.blobs, { storeBlobs: false }), code: "missing_data" },
    {
      name: "the original has not arrived here (display and tile have)",
      arrange: (w) => addPhoto(w.blobs, { originalHash: "f".repeat(64), originalType: "jpeg", originalSizeBytes: 1234 }),
      code: "missing_data",
    },
  ];
  for (const { name, arrange, code } of cases) {
    await t.test(name, () => {
      const w = setup();
      try {
        w.apply(createEvent());
        const verdict = w.check(arrange(w));
        assert.equal(verdict.vote, "no");
        assert.equal(verdict.vote === "no" ? verdict.code : "", code);
      } finally {
        w.cleanup();
      }
    });
  }
});

test("add-photo: a prepared photo is invisible, blocks deciding the round here, and abort releases it", (t) => {
  const w = setup();
  t.after(w.cleanup);
  w.apply(createEvent());
  w.apply(addPhoto(w.blobs));
  const change = addPhoto(w.blobs, { uploaderId: "u_ben" });
  w.prepare("s1.tx-prepared", change);
  assert.equal(w.repo.event(EVENT)?.montageVersion, 1, "prepared is not committed");
  assert.equal(w.repo.hasPrepared(EVENT), true);
  const blocked = w.check(decideRound(1, ["u_ana"]));
  assert.equal(blocked.vote, "no");
  assert.equal(blocked.vote === "no" ? blocked.code : "", "busy");
  w.abort("s1.tx-prepared", change);
  assert.equal(w.repo.hasPrepared(EVENT), false);
  assert.equal(w.check(decideRound(1, ["u_ana"])).vote, "yes");
  assert.equal(w.repo.event(EVENT)?.montageVersion, 1);
});

// ---- remove photo ----

function removePhoto(photoId: string, overrides: Partial<RemovePhotoData> = {}): Change {
  const data: RemovePhotoData = { eventId: EVENT, photoId, requesterId: "u_ana", originSite: "s0", requestedAtMs: 3, ...overrides };
  return { key: data.eventId, kind: changeKinds.removePhoto, data };
}

test("remove-photo: yes for a photo of an open event; commit removes it everywhere it is applied and bumps the version", (t) => {
  const w = setup();
  t.after(w.cleanup);
  w.apply(createEvent());
  const ana = addPhoto(w.blobs);
  const ben = addPhoto(w.blobs, { uploaderId: "u_ben", uploaderName: "Ben" });
  w.apply(ana);
  w.apply(ben);
  const photoId = (ben.data as AddPhotoData).photoId;
  const change = removePhoto(photoId, { requesterId: "u_ben" });
  assert.deepEqual(w.check(change), { vote: "yes" });
  w.apply(change);
  assert.equal(w.repo.event(EVENT)?.montageVersion, 3, "a removal is a new montage version");
  assert.deepEqual(w.repo.photos(EVENT).map((p) => p.photoId), [(ana.data as AddPhotoData).photoId]);
  assert.deepEqual(w.repo.contributors(EVENT, 3).map((c) => c.id), ["u_ana"], "Ben's last photo went: no longer a contributor");
  assert.equal(w.repo.photoCountBy(EVENT, "u_ben"), 0);
  const again = w.check(change);
  assert.equal(again.vote, "no", "the photo is unknown here now");
  assert.equal(again.vote === "no" ? again.code : "", "unknown_photo");
});

test("remove-photo: every reason to vote no", (t) => {
  const w = setup();
  t.after(w.cleanup);
  const codeOf = (change: Change) => {
    const vote = w.check(change);
    return vote.vote === "no" ? vote.code : "yes";
  };
  assert.equal(codeOf(removePhoto("ph_pppppppppppp")), "unknown_event");
  w.apply(createEvent());
  const add = addPhoto(w.blobs);
  w.apply(add);
  const photoId = (add.data as AddPhotoData).photoId;
  assert.equal(codeOf(removePhoto("ph_nnnnnnnnnnnn")), "unknown_photo");
  assert.equal(codeOf({ ...removePhoto(photoId), key: "ev_bbbbbbbbbbbb" }), "malformed");
  w.message(notice({ version: 1 }));
  assert.equal(codeOf(removePhoto(photoId)), "window_open", "a window open here");
  w.apply(decideRound(1, ["u_ana"]), { outcome: "published", reason: "Everyone accepted.", ballots: [ballot("u_ana", "accept", "s1")] });
  assert.equal(codeOf(removePhoto(photoId)), "published");
  assert.equal(w.repo.photos(EVENT).length, 1, "votes change nothing");
});

test("remove-photo: a prepared removal keeps the photo, blocks deciding the round here, and abort releases it", (t) => {
  const w = setup();
  t.after(w.cleanup);
  w.apply(createEvent());
  const add = addPhoto(w.blobs);
  w.apply(add);
  const change = removePhoto((add.data as AddPhotoData).photoId);
  w.prepare("s1.tx-removal", change);
  assert.equal(w.repo.photos(EVENT).length, 1, "prepared is not committed");
  assert.equal(w.repo.hasPrepared(EVENT), true, "the lock that refuses opening a ballot window here");
  assert.equal(w.check(decideRound(1, ["u_ana"])).vote, "no");
  w.abort("s1.tx-removal", change);
  assert.equal(w.repo.hasPrepared(EVENT), false);
  assert.equal(w.repo.photos(EVENT).length, 1);
  assert.equal(w.repo.event(EVENT)?.montageVersion, 1);
});

// ---- ballots told by other sites ----

test("ballot notice: opens the window on this site's clock (never the caster's), records the ballot once", (t) => {
  const w = setup();
  t.after(w.cleanup);
  w.apply(createEvent());
  w.apply(addPhoto(w.blobs));
  w.setNow(50_000);
  // The caster's clock is far behind: its deadline (30 000) would end the window before it began here.
  assert.deepEqual(w.message(notice()), { recorded: true });
  assert.deepEqual(w.message(notice()), { recorded: true }, "a duplicate is harmless");
  assert.equal(w.repo.ballots(r(1)).length, 1);
  assert.deepEqual([w.repo.openRound(EVENT)?.openedAtMs, w.repo.openRound(EVENT)?.deadlineMs], [50_000, 50_000 + WINDOW_MS]);
  w.setNow(60_000);
  w.message(notice({ userId: "u_ben", userName: "Ben", castAtMs: 19_000, deadlineMs: 29_000 }));
  assert.equal(w.repo.openRound(EVENT)?.deadlineMs, 50_000 + WINDOW_MS, "a later notice never moves the window");
});

test("ballot notice: junk and unknown events are ignored without a change", (t) => {
  const w = setup();
  t.after(w.cleanup);
  assert.deepEqual(w.message({ type: "something else" }), { ignored: "unknown notice" });
  assert.deepEqual(w.message(notice()), { ignored: "unknown event" });
  assert.equal(w.repo.openRound(EVENT), undefined);
});

test("ballot notice: arriving after the round was decided does not reopen the window", (t) => {
  const w = setup();
  t.after(w.cleanup);
  w.apply(createEvent());
  w.apply(addPhoto(w.blobs));
  w.apply(decideRound(1, ["u_ana"]), { outcome: "aborted", reason: "Time ran out before Ana voted.", ballots: [] });
  w.message(notice());
  assert.equal(w.repo.openRound(EVENT), undefined);
  assert.equal(w.repo.round(r(1))?.outcome, "aborted");
  assert.deepEqual(w.repo.ballots(r(1)), [], "a late ballot never joins a decided round");
});

test("ballot notice: a late ballot of an earlier round never counts in a later one", (t) => {
  const w = setup();
  t.after(w.cleanup);
  w.apply(createEvent());
  w.apply(addPhoto(w.blobs));
  w.apply(decideRound(1, ["u_ana"], undefined, 1), { outcome: "aborted", reason: "Time ran out before Ana voted.", ballots: [] });
  // Round 2 of the same version opens here (someone accepted again).
  assert.deepEqual(w.message(notice({ round: 2, userId: "u_ben", userName: "Ben" })), { recorded: true });
  // Ana's accept of round 1, delayed on the network, arrives now.
  assert.deepEqual(w.message(notice({ round: 1 })), { ignored: "round decided" });
  assert.deepEqual(w.message(notice()), { ignored: "round decided" }, "a notice from before rounds were numbered is round 1");
  assert.deepEqual(w.repo.ballots(r(1, 2)).map((b) => b.userId), ["u_ben"]);
  assert.deepEqual(w.repo.ballots(r(1)), []);
  // A photo later: a notice of the old version is dropped too.
  w.apply(decideRound(1, ["u_ana"], undefined, 2), { outcome: "aborted", reason: "x", ballots: [] });
  w.apply(addPhoto(w.blobs));
  assert.deepEqual(w.message(notice({ round: 3 })), { ignored: "superseded version" });
  assert.equal(w.repo.openRound(EVENT), undefined);
});

// ---- decide round ----

test("decide-round check: votes no on another version or unknown event; yes carries only this site's ballots", (t) => {
  const w = setup("s2");
  t.after(w.cleanup);
  assert.equal(w.check(decideRound(1, ["u_ana"])).vote, "no");
  w.apply(createEvent());
  w.apply(addPhoto(w.blobs));
  w.apply(addPhoto(w.blobs, { uploaderId: "u_ben" }));
  const stale = w.check(decideRound(1, ["u_ana"]));
  assert.equal(stale.vote, "no");
  assert.equal(stale.vote === "no" ? stale.code : "", "stale_version");
  w.message(notice({ version: 2, site: "s2" }));
  w.message(notice({ version: 2, userId: "u_ben", userName: "Ben", site: "s1" }));
  const verdict = w.check(decideRound(2, ["u_ana", "u_ben"]));
  assert.equal(verdict.vote, "yes");
  const info = verdict.vote === "yes" ? (verdict.info as { ballots: BallotRecord[] }) : { ballots: [] };
  assert.deepEqual(
    info.ballots.map((b) => [b.userId, b.site]),
    [["u_ana", "s2"]],
  );
});

test("decide-round check: names its round; votes no on a round decided here or overtaken by a newer one", (t) => {
  const w = setup("s2");
  t.after(w.cleanup);
  w.apply(createEvent());
  w.apply(addPhoto(w.blobs));
  w.message(notice({ site: "s2", round: 1 }));
  w.apply(decideRound(1, ["u_ana"], undefined, 1), { outcome: "aborted", reason: "x", ballots: [] });
  const again = w.check(decideRound(1, ["u_ana"], undefined, 1));
  assert.equal(again.vote === "no" ? again.code : "yes", "round_closed");
  w.message(notice({ site: "s2", round: 3 }));
  const overtaken = w.check(decideRound(1, ["u_ana"], undefined, 2));
  assert.equal(overtaken.vote === "no" ? overtaken.code : "yes", "stale_round");
  const current = w.check(decideRound(1, ["u_ana"], undefined, 3));
  assert.equal(current.vote, "yes");
  assert.deepEqual((current.vote === "yes" ? (current.info as { ballots: BallotRecord[] }) : { ballots: [] }).ballots.map((b) => b.userId), ["u_ana"]);
  const fewer = w.check({ ...decideRound(1, ["u_ana"], undefined, 3), data: { ...(decideRound(1, ["u_ana"], undefined, 3).data as DecideRoundData), minContributors: 2 } });
  assert.equal(fewer.vote === "no" ? fewer.code : "yes", "contributors_differ", "the home's required contributors must be this site's");
});

test("resolve: publishes only with an accept from every contributor, across sites' votes", (t) => {
  const w = setup();
  t.after(w.cleanup);
  const change = decideRound(3, ["u_ana", "u_ben"], { u_ana: "Ana", u_ben: "Ben" });
  const cases: Array<{ name: string; votes: Vote[]; outcome: "published" | "aborted"; reason: RegExp }> = [
    { name: "accepts at two sites", votes: [yes([ballot("u_ana", "accept", "s0")]), yes([ballot("u_ben", "accept", "s3")]), yes([]), yes([])], outcome: "published", reason: /Everyone accepted/ },
    { name: "one missing", votes: [yes([ballot("u_ana", "accept")]), yes([]), yes([]), yes([])], outcome: "aborted", reason: /^Time ran out before Ben voted\.$/ },
    { name: "a reject", votes: [yes([ballot("u_ana", "accept")]), yes([ballot("u_ben", "reject", "s1")]), yes([]), yes([])], outcome: "aborted", reason: /ben rejected/ },
    {
      name: "a reject at one site and an accept at another from the same person",
      votes: [yes([ballot("u_ana", "accept"), ballot("u_ben", "accept")]), yes([ballot("u_ben", "reject", "s1")]), yes([]), yes([])],
      outcome: "aborted",
      reason: /ben rejected/,
    },
  ];
  for (const { name, votes, outcome, reason } of cases) {
    const resolution = w.domain.resolve(change, new Map(votes.map((v, i) => [`s${i}`, v])));
    assert.equal(resolution.decision, "commit", name);
    const result = decideRoundResult.parse(resolution.decision === "commit" ? resolution.result : undefined);
    assert.equal(result.outcome, outcome, name);
    assert.match(result.reason, reason, name);
    const people = new Set(votes.flatMap((v) => (v.info as { ballots: BallotRecord[] }).ballots.map((b) => b.userId)));
    assert.equal(result.ballots.length, people.size, `${name}: one counted ballot per person is carried to every site`);
  }
});

test("resolve: a timeout names who did not vote, though their name is in no ballot", (t) => {
  const w = setup();
  t.after(w.cleanup);
  const votes = new Map<string, Vote>([
    ["s0", yes([ballot("u_ana", "accept")])],
    ["s1", yes([])],
  ]);
  const named = w.domain.resolve(decideRound(1, ["u_ana", "u_ben", "u_cleo"], { u_ana: "Ana", u_ben: "Ben", u_cleo: "Cleo" }), votes);
  assert.equal(decideRoundResult.parse(named.decision === "commit" ? named.result : undefined).reason, "Time ran out before Ben and Cleo voted.");
  // A decide-round logged before names were carried still parses and still aborts.
  const unnamed = w.domain.resolve(decideRound(1, ["u_ana", "u_ben"]), votes);
  assert.equal(decideRoundResult.parse(unnamed.decision === "commit" ? unnamed.result : undefined).outcome, "aborted");
});

test("resolve: the same person at two sites counts once (a reject wins), with a reason kept; too few contributors never publish", (t) => {
  const w = setup();
  t.after(w.cleanup);
  const because = { ...ballot("u_ben", "reject", "s1"), reason: "please remove the blurry one" };
  const votes = new Map<string, Vote>([
    ["s0", yes([ballot("u_ana", "accept"), ballot("u_ben", "accept")])],
    ["s1", yes([because])],
  ]);
  const result = decideRoundResult.parse((w.domain.resolve(decideRound(1, ["u_ana", "u_ben"], undefined, 2), votes) as { result: Json }).result);
  assert.deepEqual(result.ballots, [ballot("u_ana", "accept"), because]);
  const alone = new Map<string, Vote>([["s0", yes([ballot("u_ana", "accept")])]]);
  const needsTwo = { ...decideRound(1, ["u_ana"]), data: { ...(decideRound(1, ["u_ana"]).data as DecideRoundData), minContributors: 2 } };
  const lone = decideRoundResult.parse((w.domain.resolve(needsTwo, alone) as { result: Json }).result);
  assert.equal(lone.outcome, "aborted");
  assert.match(lone.reason, /needs 2 contributors/);
});

test("resolve: unreadable ballots abort; other kinds simply commit", (t) => {
  const w = setup();
  t.after(w.cleanup);
  const bad = w.domain.resolve(decideRound(1, ["u_ana"]), new Map([["s0", { vote: "yes", info: { ballots: "nope" } }]]));
  assert.deepEqual(bad, { decision: "abort", code: "unreadable_ballots", reason: "a site's ballots were unreadable" });
  assert.deepEqual(w.domain.resolve(createEvent(), new Map()), { decision: "commit" });
});

test("decide-round commit: every site ends with the counted ballots and the outcome; publish closes the event", (t) => {
  const w = setup("s3");
  t.after(w.cleanup);
  w.apply(createEvent());
  w.apply(addPhoto(w.blobs));
  w.apply(addPhoto(w.blobs, { uploaderId: "u_ben" }));
  // This site holds Ben's accept; Ben also rejected at another site at the same moment: the decision counted the reject.
  w.message(notice({ version: 2, userId: "u_ben", userName: "Ben", site: "s1" }));
  const counted = [ballot("u_ana", "accept", "s1"), ballot("u_ben", "accept", "s2")];
  w.apply(decideRound(2, ["u_ana", "u_ben"], { u_ana: "Ana", u_ben: "Ben" }), { outcome: "published", reason: "Everyone accepted.", ballots: counted });
  assert.deepEqual(w.repo.ballots(r(2)), counted, "exactly the counted ballots, on every site");
  assert.equal(w.repo.round(r(2))?.outcome, "published");
  assert.equal(w.repo.round(r(2))?.decidedAtMs, 50_000, "the home site's time, the same on every site");
  assert.deepEqual(w.repo.round(r(2))?.contributors, [{ id: "u_ana", name: "Ana" }, { id: "u_ben", name: "Ben" }]);
  assert.equal(w.repo.event(EVENT)?.publishedVersion, 2);
  assert.equal(w.repo.openRound(EVENT), undefined);
});

test("decide-round commit: an abort keeps the event open for the next photo and a new round", (t) => {
  const w = setup();
  t.after(w.cleanup);
  w.apply(createEvent());
  w.apply(addPhoto(w.blobs));
  w.message(notice({ decision: "reject" }));
  w.apply(decideRound(1, ["u_ana"]), { outcome: "aborted", reason: "Ana rejected the montage.", ballots: [ballot("u_ana", "reject", "s1")] });
  assert.equal(w.repo.event(EVENT)?.publishedVersion, null);
  assert.equal(w.repo.latestRound(EVENT, 1)?.round, 1, "a decide-round logged before rounds were numbered decides round 1");
  assert.equal(w.repo.openRound(EVENT), undefined);
  const next = addPhoto(w.blobs);
  assert.deepEqual(w.check(next), { vote: "yes" });
  w.apply(next);
  assert.equal(w.repo.event(EVENT)?.montageVersion, 2);
});

// ---- close / reopen (the creator's rights, SPEC §1.14) ----

function setClosed(closed: boolean, overrides: Partial<SetClosedData> = {}): Change {
  const data: SetClosedData = { eventId: EVENT, closed, requesterId: "u_creator", originSite: "s0", requestedAtMs: 4, ...overrides };
  return { key: data.eventId, kind: changeKinds.setClosed, data };
}

test("set-closed: a closed event votes no to a newcomer's photo and yes to a contributor's; reopening lets newcomers in again", (t) => {
  const w = setup();
  t.after(w.cleanup);
  w.apply(createEvent({ adminTokenHash: "ab".repeat(32) }));
  assert.equal(w.repo.event(EVENT)?.adminTokenHash, "ab".repeat(32), "the token's hash is replicated with the event");
  w.apply(addPhoto(w.blobs));
  assert.deepEqual(w.check(setClosed(true)), { vote: "yes" });
  w.apply(setClosed(true));
  assert.equal(w.repo.event(EVENT)?.closed, true);
  const newcomer = w.check(addPhoto(w.blobs, { uploaderId: "u_ben", uploaderName: "Ben" }));
  assert.equal(newcomer.vote === "no" ? newcomer.code : "yes", "event_closed");
  assert.deepEqual(w.check(addPhoto(w.blobs)), { vote: "yes" }, "Ana already contributes: she may add more");
  w.apply(setClosed(false));
  assert.equal(w.repo.event(EVENT)?.closed, false);
  assert.deepEqual(w.check(addPhoto(w.blobs, { uploaderId: "u_ben", uploaderName: "Ben" })), { vote: "yes" });
});

test("set-closed: every reason to vote no, and a vote changes nothing", (t) => {
  const w = setup();
  t.after(w.cleanup);
  const codeOf = (change: Change) => {
    const vote = w.check(change);
    return vote.vote === "no" ? vote.code : "yes";
  };
  assert.equal(codeOf(setClosed(true)), "unknown_event");
  w.apply(createEvent());
  assert.equal(codeOf({ ...setClosed(true), key: "ev_bbbbbbbbbbbb" }), "malformed");
  assert.throws(() => w.check({ key: EVENT, kind: changeKinds.setClosed, data: { eventId: EVENT, closed: "yes" } }), "malformed data is refused by the schema");
  w.apply(addPhoto(w.blobs));
  w.message(notice({ version: 1 }));
  assert.equal(codeOf(setClosed(true)), "yes", "closing is allowed while a ballot window is open");
  w.apply(decideRound(1, ["u_ana"]), { outcome: "published", reason: "Everyone accepted.", ballots: [ballot("u_ana", "accept", "s1")] });
  assert.equal(codeOf(setClosed(true)), "published");
  assert.equal(w.repo.event(EVENT)?.closed, false);
});

test("set-closed: a prepared close holds no ballot lock (it does not change the photos being voted on)", (t) => {
  const w = setup();
  t.after(w.cleanup);
  w.apply(createEvent());
  w.apply(addPhoto(w.blobs));
  w.prepare("s1.tx-close", setClosed(true));
  assert.equal(w.repo.hasPrepared(EVENT), false);
  assert.equal(w.repo.event(EVENT)?.closed, false, "prepared is invisible");
  w.abort("s1.tx-close", setClosed(true));
  assert.equal(w.repo.event(EVENT)?.closed, false);
});
