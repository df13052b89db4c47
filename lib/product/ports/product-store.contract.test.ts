// The product store's contract, run against both implementations: the SQL `Repo` on a migrated
// in-memory SQLite database, and the `MemoryProductStore` twin over the engine's MemoryStore. The
// simulator proves the product's guarantees over the twin; this file is why that says something
// about the SQL a site runs.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { migrate } from "@/lib/db/migrate";
import { MemoryStore } from "@/lib/twopc/memory-store";
import type { AddPhotoData, BallotRecord, CreateEventData } from "../changes";
import { MemoryProductStore } from "../memory-product-store";
import { Repo } from "../repo";
import type { ProductStore } from "./product-store";

/** One store transaction: writes are kept only if `fn` returns. */
type Transact = <T>(fn: (store: ProductStore) => T) => T;

const implementations: Record<string, () => Transact> = {
  "SQL Repo (better-sqlite3, migrated)": () => {
    const db = new Database(":memory:");
    migrate(db);
    db.pragma("foreign_keys = ON");
    const repo = new Repo(db);
    return (fn) => db.transaction(() => fn(repo)).immediate();
  },
  "MemoryProductStore (over MemoryStore)": () => {
    const engineStore = new MemoryStore();
    return (fn) => engineStore.transact((tx) => fn(new MemoryProductStore(tx)));
  },
};

const EV = "ev_contract0001";
const OTHER = "ev_contract0002";

function event(eventId = EV, homeSite = "s0"): CreateEventData {
  return { eventId, title: "Picnic", homeSite, creatorId: "u_cora", creatorName: "Cora", createdAtMs: 1_800_000_000_000 };
}

let n = 0;
function photo(overrides: Partial<AddPhotoData> = {}): AddPhotoData {
  n += 1;
  const hex = (c: string) => `${String(n).padStart(8, "0")}${c.repeat(56)}`;
  return {
    eventId: EV,
    photoId: `ph_contract${String(n).padStart(4, "0")}`,
    uploaderId: "u_ana",
    uploaderName: "Ana",
    originSite: "s1",
    sha256: hex("a"),
    displayHash: hex("b"),
    tileHash: hex("c"),
    width: 640,
    height: 480,
    createdAtMs: 1_800_000_000_100 + n,
    ...overrides,
  };
}

function ballot(userId: string, overrides: Partial<BallotRecord> = {}): BallotRecord {
  return { userId, userName: userId.slice(2), decision: "accept", site: "s1", castAtMs: 1_800_000_001_000, ...overrides };
}

for (const [name, make] of Object.entries(implementations)) {
  describe(`ProductStore contract: ${name}`, () => {
    test("an event is created once, at montage version 0, unpublished", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      tx((s) => s.insertEvent({ ...event(), title: "Changed" }));
      assert.deepEqual(
        tx((s) => s.event(EV)),
        { id: EV, title: "Picnic", homeSite: "s0", creatorId: "u_cora", creatorName: "Cora", createdAtMs: 1_800_000_000_000, montageVersion: 0, publishedVersion: null, publishedAtMs: null, adminTokenHash: null, closed: false, minContributors: 1 },
      );
      assert.equal(tx((s) => s.event(OTHER)), undefined);
    });

    test("an event keeps its admin token's hash, and closes to new contributors and reopens", () => {
      const tx = make();
      const hash = "ab".repeat(32);
      tx((s) => s.insertEvent({ ...event(), adminTokenHash: hash }));
      tx((s) => s.insertEvent(event(OTHER)));
      assert.equal(tx((s) => s.event(EV)?.adminTokenHash), hash);
      tx((s) => s.setClosed(EV, true));
      assert.deepEqual([tx((s) => s.event(EV)?.closed), tx((s) => s.event(OTHER)?.closed)], [true, false]);
      tx((s) => s.setClosed(EV, false));
      assert.equal(tx((s) => s.event(EV)?.closed), false);
      tx((s) => s.setClosed("ev_unknown0000", true));
      assert.equal(tx((s) => s.event("ev_unknown0000")), undefined);
    });

    test("photos: each commit grows the version and gets it; lookups by id, bytes and uploader", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      tx((s) => s.insertEvent(event(OTHER)));
      const ana1 = photo();
      const ben = photo({ uploaderId: "u_ben", uploaderName: "Ben" });
      const ana2 = photo();
      assert.deepEqual([ana1, ben, ana2].map((p) => tx((s) => s.insertPhoto(p))), [1, 2, 3]);
      assert.deepEqual(tx((s) => s.photos(EV).map((p) => [p.photoId, p.version])), [[ana1.photoId, 1], [ben.photoId, 2], [ana2.photoId, 3]]);
      // Optional fields a change did not carry read back as null, in both stores.
      assert.deepEqual(tx((s) => s.photos(EV)[0]), { ...ana1, originalHash: null, originalType: null, originalSizeBytes: null, capturedAtMs: null, version: 1 });
      assert.equal(tx((s) => s.event(EV)?.montageVersion), 3);
      assert.equal(tx((s) => s.hasPhotoWithSha(EV, ben.sha256)), ben.photoId);
      assert.equal(tx((s) => s.hasPhotoWithSha(OTHER, ben.sha256)), undefined);
      assert.equal(tx((s) => s.hasPhoto(ana2.photoId)), true);
      assert.equal(tx((s) => s.hasPhoto("ph_nope")), false);
      assert.deepEqual(tx((s) => s.photoIn(EV, ben.photoId)), { id: ben.photoId, uploaderId: "u_ben" });
      assert.equal(tx((s) => s.photoIn(OTHER, ben.photoId)), undefined);
      assert.equal(tx((s) => s.photoCountBy(EV, "u_ana")), 2);
      assert.equal(tx((s) => s.photoCountBy(EV, "u_zed")), 0);
      assert.deepEqual(tx((s) => s.contributors(EV, 1)), [{ id: "u_ana", name: "Ana" }]);
      assert.deepEqual(tx((s) => s.contributors(EV, 3)), [{ id: "u_ana", name: "Ana" }, { id: "u_ben", name: "Ben" }]);
      const withOriginal = photo({ originalHash: "f".repeat(64), originalType: "heic", originalSizeBytes: 99, capturedAtMs: 1_777_000_000_000 });
      tx((s) => s.insertPhoto(withOriginal));
      assert.deepEqual(tx((s) => s.photos(EV).at(-1)), { ...withOriginal, version: 4 });
      assert.deepEqual(tx((s) => s.contributors(OTHER, 3)), []);
    });

    test("photos: the same bytes twice in an event, or a photo of an unknown event, is refused and changes nothing", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      const first = photo();
      tx((s) => s.insertPhoto(first));
      assert.throws(() => tx((s) => s.insertPhoto(photo({ sha256: first.sha256 }))));
      assert.throws(() => tx((s) => s.insertPhoto(photo({ eventId: OTHER }))));
      assert.equal(tx((s) => s.event(EV)?.montageVersion), 1);
      assert.equal(tx((s) => s.photos(EV).length), 1);
    });

    test("removing a photo grows the version, takes it out of every later contributor set; a second removal still grows it", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      const ana = photo();
      const ben = photo({ uploaderId: "u_ben", uploaderName: "Ben" });
      tx((s) => s.insertPhoto(ana));
      tx((s) => s.insertPhoto(ben));
      assert.equal(tx((s) => s.removePhoto(EV, ana.photoId)), 3);
      assert.deepEqual(tx((s) => s.photos(EV).map((p) => p.photoId)), [ben.photoId]);
      assert.equal(tx((s) => s.hasPhoto(ana.photoId)), false);
      assert.equal(tx((s) => s.hasPhotoWithSha(EV, ana.sha256)), undefined);
      assert.deepEqual(tx((s) => s.contributors(EV, 3)), [{ id: "u_ben", name: "Ben" }]);
      assert.equal(tx((s) => s.removePhoto(EV, ana.photoId)), 4);
      assert.throws(() => tx((s) => s.removePhoto(OTHER, ana.photoId)));
    });

    test("prepared changes hold their event until released", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      assert.equal(tx((s) => s.hasPrepared(EV)), false);
      tx((s) => s.holdPrepared("s1.t1", EV, "add-photo", "{}", 5));
      tx((s) => s.holdPrepared("s1.t1", EV, "add-photo", "{}", 6));
      tx((s) => s.holdPrepared("s2.t2", EV, "remove-photo", "{}", 7));
      tx((s) => s.releasePrepared("s1.t1"));
      assert.equal(tx((s) => s.hasPrepared(EV)), true, "s2.t2 still holds it");
      tx((s) => s.releasePrepared("s2.t2"));
      tx((s) => s.releasePrepared("s9.unknown"));
      assert.equal(tx((s) => s.hasPrepared(EV)), false);
    });

    const r = (version: number, round = 1) => ({ eventId: EV, version, round });
    const w = (openedAtMs: number, deadlineMs: number) => ({ openedAtMs, deadlineMs });
    const decision = (outcome: "published" | "aborted", reason: string, decidedAtMs: number) => ({ outcome, reason, decidedAtMs, contributors: [{ id: "u_ana", name: "ana" }] });
    const open = (version: number, round: number, openedAtMs: number, deadlineMs: number) => ({
      eventId: EV,
      version,
      round,
      openedAtMs,
      deadlineMs,
      outcome: null,
      reason: null,
      decidedAtMs: null,
      contributors: null,
    });

    test("rounds: a window opens once, an earlier deadline wins, the newest undecided round is the open one", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      tx((s) => s.insertPhoto(photo()));
      tx((s) => s.openWindow(r(1), w(1_000, 9_000)));
      tx((s) => s.openWindow(r(1), w(2_000, 12_000)));
      assert.deepEqual(tx((s) => s.round(r(1))), open(1, 1, 1_000, 9_000));
      tx((s) => s.openWindow(r(1), w(500, 8_000)));
      assert.deepEqual(tx((s) => [s.round(r(1))?.openedAtMs, s.round(r(1))?.deadlineMs]), [500, 8_000]);
      tx((s) => s.openWindow(r(2), w(3_000, 10_000)));
      assert.equal(tx((s) => s.openRound(EV)?.version), 2);
      assert.equal(tx((s) => s.round(r(3))), undefined);
      assert.equal(tx((s) => s.round(r(1, 2))), undefined);
    });

    test("rounds: rounds of one version are numbered; the latest is the highest number, decided or not", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      tx((s) => s.insertPhoto(photo()));
      assert.equal(tx((s) => s.latestRound(EV, 1)), undefined);
      tx((s) => s.openWindow(r(1), w(1_000, 9_000)));
      tx((s) => s.decideRound(r(1), decision("aborted", "x", 2_000), []));
      tx((s) => s.openWindow(r(1, 2), w(3_000, 11_000)));
      assert.deepEqual(tx((s) => s.latestRound(EV, 1)), open(1, 2, 3_000, 11_000));
      assert.deepEqual(tx((s) => [s.openRound(EV)?.version, s.openRound(EV)?.round]), [1, 2]);
      tx((s) => s.decideRound(r(1, 2), decision("aborted", "y", 12_000), []));
      assert.equal(tx((s) => s.latestRound(EV, 1)?.outcome), "aborted");
      assert.equal(tx((s) => s.latestRound(EV, 1)?.round), 2);
      assert.equal(tx((s) => s.openRound(EV)), undefined);
    });

    test("rounds: an outcome is recorded once; publishing sets the event's published version once", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      tx((s) => s.insertPhoto(photo()));
      tx((s) => s.openWindow(r(1), w(1_000, 9_000)));
      assert.equal(tx((s) => s.decideRound(r(1), decision("aborted", "Ben rejected the montage.", 4_000), [])), true);
      assert.equal(tx((s) => s.decideRound(r(1), decision("published", "Everyone accepted.", 5_000), [])), false);
      assert.deepEqual(tx((s) => s.round(r(1))), {
        ...open(1, 1, 1_000, 9_000),
        outcome: "aborted",
        reason: "Ben rejected the montage.",
        decidedAtMs: 4_000,
        contributors: [{ id: "u_ana", name: "ana" }],
      });
      assert.equal(tx((s) => s.openRound(EV)), undefined);
      tx((s) => s.openWindow(r(1), w(6_000, 7_000)));
      assert.equal(tx((s) => s.round(r(1))?.deadlineMs), 9_000, "a decided round's window never reopens");
      tx((s) => s.insertPhoto(photo()));
      tx((s) => s.decideRound(r(2), decision("published", "Everyone accepted.", 8_000), []));
      assert.deepEqual(tx((s) => s.round(r(2))), {
        ...open(2, 1, 8_000, 8_000),
        outcome: "published",
        reason: "Everyone accepted.",
        decidedAtMs: 8_000,
        contributors: [{ id: "u_ana", name: "ana" }],
      });
      assert.deepEqual(tx((s) => [s.event(EV)?.publishedVersion, s.event(EV)?.publishedAtMs]), [2, 8_000]);
    });

    test("rounds: a decision makes the round's ballots exactly the counted ones, and no later one joins", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      tx((s) => s.openWindow(r(1), w(1_000, 9_000)));
      // The same person at two sites at once: this site holds the accept, the decision counted the reject.
      tx((s) => s.recordBallot(r(1), ballot("u_ben", { site: "s1" })));
      tx((s) => s.recordBallot(r(1), ballot("u_ana")));
      const counted = [ballot("u_ben", { decision: "reject", reason: "too dark", site: "s2", castAtMs: 1_500 }), ballot("u_ana")];
      tx((s) => s.decideRound(r(1), decision("aborted", "ben rejected the montage.", 3_000), counted));
      assert.deepEqual(tx((s) => s.ballots(r(1))), counted);
      assert.equal(tx((s) => s.decideRound(r(1), decision("aborted", "again", 4_000), [])), false);
      assert.deepEqual(tx((s) => s.ballots(r(1))), counted, "a second decision changes nothing");
      assert.deepEqual(tx((s) => s.ballot(r(1), "u_ben")), counted[0]);
    });

    test("rounds: the home site finds every undecided round of its events", () => {
      const tx = make();
      tx((s) => s.insertEvent(event(EV, "s0")));
      tx((s) => s.insertEvent(event(OTHER, "s1")));
      tx((s) => s.openWindow(r(1), w(1_000, 9_000)));
      tx((s) => s.openWindow({ eventId: OTHER, version: 1, round: 1 }, w(1_000, 9_000)));
      tx((s) => s.openWindow(r(2), w(1_000, 9_000)));
      tx((s) => s.decideRound(r(1), decision("aborted", "x", 2_000), []));
      tx((s) => s.openWindow(r(1, 2), w(2_500, 9_000)));
      assert.deepEqual(tx((s) => s.openRoundsAtHome("s0").map((x) => [x.eventId, x.version, x.round]).sort()), [[EV, 1, 2], [EV, 2, 1]]);
      assert.deepEqual(tx((s) => s.openRoundsAtHome("s1").map((x) => [x.eventId, x.version, x.round])), [[OTHER, 1, 1]]);
      assert.deepEqual(tx((s) => s.openRoundsAtHome("s3")), []);
    });

    test("ballots: one per (round, user), ordered by cast time then user, filtered by site; a reason is kept", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      assert.equal(tx((s) => s.recordBallot(r(1), ballot("u_ben", { castAtMs: 2_000, site: "s2" }))), true);
      assert.equal(tx((s) => s.recordBallot(r(1), ballot("u_ben", { decision: "reject" }))), false);
      tx((s) => s.recordBallot(r(1), ballot("u_ana", { castAtMs: 2_000 })));
      tx((s) => s.recordBallot(r(1), ballot("u_cleo", { castAtMs: 1_000, decision: "reject", reason: "Cleo's eyes are closed" })));
      tx((s) => s.recordBallot(r(2), ballot("u_ana", { castAtMs: 3_000 })));
      assert.equal(tx((s) => s.recordBallot(r(1, 2), ballot("u_ben", { decision: "reject" }))), true, "round 2 is another round");
      assert.deepEqual(tx((s) => s.ballots(r(1)).map((b) => b.userId)), ["u_cleo", "u_ana", "u_ben"]);
      assert.deepEqual(tx((s) => s.ballot(r(1), "u_ben")), { userId: "u_ben", userName: "ben", decision: "accept", site: "s2", castAtMs: 2_000 });
      assert.deepEqual(tx((s) => s.ballot(r(1), "u_cleo")?.reason), "Cleo's eyes are closed");
      assert.equal(tx((s) => s.ballot(r(3), "u_ben")), undefined);
      assert.deepEqual(tx((s) => s.ballotsCastAt(r(1), "s1").map((b) => b.userId)), ["u_cleo", "u_ana"]);
      assert.deepEqual(tx((s) => s.ballots(r(2))), [ballot("u_ana", { castAtMs: 3_000 })]);
      assert.deepEqual(tx((s) => s.ballots(r(1, 2)).map((b) => [b.userId, b.decision])), [["u_ben", "reject"]]);
    });

    test("events: the contributors needed before a round opens default to 1", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      tx((s) => s.insertEvent({ ...event(OTHER), minContributors: 3 }));
      assert.deepEqual(tx((s) => [s.event(EV)?.minContributors, s.event(OTHER)?.minContributors]), [1, 3]);
    });

    test("a transaction sees its own writes, and one that throws leaves nothing behind", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      const p = photo();
      assert.throws(() =>
        tx((s) => {
          s.insertPhoto(p);
          s.openWindow({ eventId: EV, version: 1, round: 1 }, { openedAtMs: 1_000, deadlineMs: 9_000 });
          s.recordBallot({ eventId: EV, version: 1, round: 1 }, ballot("u_ana"));
          s.holdPrepared("s1.t9", EV, "add-photo", "{}", 1);
          assert.equal(s.event(EV)?.montageVersion, 1);
          assert.equal(s.ballots({ eventId: EV, version: 1, round: 1 }).length, 1);
          throw new Error("disk full");
        }),
      );
      assert.equal(tx((s) => s.event(EV)?.montageVersion), 0);
      assert.equal(tx((s) => s.hasPhoto(p.photoId)), false);
      assert.equal(tx((s) => s.round({ eventId: EV, version: 1, round: 1 })), undefined);
      assert.equal(tx((s) => s.ballots({ eventId: EV, version: 1, round: 1 }).length), 0);
      assert.equal(tx((s) => s.hasPrepared(EV)), false);
    });

    test("rows are the caller's: changing one changes nothing stored", () => {
      const tx = make();
      tx((s) => s.insertEvent(event()));
      tx((s) => s.insertPhoto(photo()));
      tx((s) => s.openWindow({ eventId: EV, version: 1, round: 1 }, { openedAtMs: 1_000, deadlineMs: 9_000 }));
      const row = tx((s) => s.event(EV));
      const photos = tx((s) => s.photos(EV));
      const round = tx((s) => s.round({ eventId: EV, version: 1, round: 1 }));
      assert.ok(row && round && photos[0]);
      row.montageVersion = 99;
      photos[0].version = 99;
      round.outcome = "published";
      assert.equal(tx((s) => s.event(EV)?.montageVersion), 1);
      assert.equal(tx((s) => s.photos(EV)[0]?.version), 1);
      assert.equal(tx((s) => s.openRound(EV)?.version), 1);
    });
  });
}
