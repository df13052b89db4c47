// Table-driven tests of the product's pure rules (lib/product/rules.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { BallotRecord } from "./changes";
import {
  ballotRefusal,
  ballotTarget,
  ballotsByUser,
  closingRefusal,
  countedBallots,
  eventStatus,
  hasCreatorRights,
  photoRefusal,
  removalRefusal,
  roundOutcome,
  shouldDecide,
  type Limits,
} from "./rules";

const limits: Limits = { maxContributors: 3, maxPhotosPerPerson: 2 };

function ballot(userId: string, decision: "accept" | "reject", overrides: Partial<BallotRecord> = {}): BallotRecord {
  return { userId, userName: userId.toUpperCase(), decision, site: "s0", castAtMs: 1_000, ...overrides };
}

// ---- photoRefusal ----

type PhotoState = Parameters<typeof photoRefusal>[0];
const openEvent: PhotoState = {
  eventExists: true,
  published: false,
  windowOpen: false,
  closed: false,
  uploaderPhotoCount: 0,
  contributorCount: 0,
  uploaderIsContributor: false,
  duplicate: false,
  limits,
};

const photoCases: Array<{ name: string; state: Partial<PhotoState>; code: string | null }> = [
  { name: "an open event takes a first photo", state: {}, code: null },
  { name: "a contributor under the limit may add another", state: { uploaderPhotoCount: 1, uploaderIsContributor: true, contributorCount: 1 }, code: null },
  { name: "unknown event", state: { eventExists: false }, code: "unknown_event" },
  { name: "published event", state: { published: true }, code: "published" },
  { name: "ballot window open", state: { windowOpen: true }, code: "window_open" },
  { name: "the same bytes again", state: { duplicate: true }, code: "duplicate" },
  { name: "photos per person reached", state: { uploaderPhotoCount: 2, uploaderIsContributor: true, contributorCount: 1 }, code: "photo_limit" },
  { name: "photos per person exceeded", state: { uploaderPhotoCount: 5, uploaderIsContributor: true, contributorCount: 1 }, code: "photo_limit" },
  { name: "a newcomer when contributors are full", state: { contributorCount: 3 }, code: "contributor_limit" },
  { name: "an existing contributor when contributors are full", state: { contributorCount: 3, uploaderIsContributor: true, uploaderPhotoCount: 1 }, code: null },
  { name: "a newcomer one below the contributor limit", state: { contributorCount: 2 }, code: null },
  // Precedence: the most fundamental reason wins, so the message is the one a person can act on.
  { name: "unknown beats everything", state: { eventExists: false, published: true, windowOpen: true, duplicate: true }, code: "unknown_event" },
  { name: "published beats window open", state: { published: true, windowOpen: true }, code: "published" },
  { name: "window open beats duplicate and limits", state: { windowOpen: true, duplicate: true, uploaderPhotoCount: 9 }, code: "window_open" },
  { name: "duplicate beats the photo limit", state: { duplicate: true, uploaderPhotoCount: 9, uploaderIsContributor: true }, code: "duplicate" },
  // Closed to new contributors (SPEC §1.14): newcomers are refused, contributors are not.
  { name: "a newcomer when the event is closed", state: { closed: true }, code: "event_closed" },
  { name: "a contributor adds another photo to a closed event", state: { closed: true, uploaderIsContributor: true, uploaderPhotoCount: 1, contributorCount: 1 }, code: null },
  { name: "a contributor at the photo limit in a closed event", state: { closed: true, uploaderIsContributor: true, uploaderPhotoCount: 2, contributorCount: 1 }, code: "photo_limit" },
  { name: "closed beats the contributor limit (the reason a newcomer can act on)", state: { closed: true, contributorCount: 3 }, code: "event_closed" },
  { name: "window open beats closed", state: { closed: true, windowOpen: true }, code: "window_open" },
  { name: "published beats closed", state: { closed: true, published: true }, code: "published" },
];

for (const { name, state, code } of photoCases) {
  test(`photoRefusal: ${name} → ${code ?? "allowed"}`, () => {
    const refusal = photoRefusal({ ...openEvent, ...state });
    assert.equal(refusal?.code ?? null, code);
    if (refusal) assert.ok(refusal.message.length > 0, "a refusal always explains itself");
  });
}

test("photoRefusal: the limit messages name the configured numbers", () => {
  assert.match(photoRefusal({ ...openEvent, uploaderPhotoCount: 2 })?.message ?? "", /at most 2 photos/);
  assert.match(photoRefusal({ ...openEvent, contributorCount: 3 })?.message ?? "", /3 contributors/);
});

// ---- removalRefusal ----

type RemovalState = Parameters<typeof removalRefusal>[0];
const removable: RemovalState = { eventExists: true, photoExists: true, published: false, windowOpen: false };
const uploader = { isUploader: true, isCreator: false };
const creator = { isUploader: false, isCreator: true };
const someoneElse = { isUploader: false, isCreator: false };

const removalCases: Array<{ name: string; state: Partial<RemovalState>; code: string | null }> = [
  { name: "the uploader removes their own", state: { requester: uploader }, code: null },
  { name: "the creator removes anyone's", state: { requester: creator }, code: null },
  { name: "a participant's vote does not ask who", state: {}, code: null },
  { name: "someone else's photo", state: { requester: someoneElse }, code: "not_yours" },
  { name: "unknown event", state: { eventExists: false, requester: uploader }, code: "unknown_event" },
  { name: "unknown (or already removed) photo", state: { photoExists: false, requester: creator }, code: "unknown_photo" },
  { name: "after publication", state: { published: true, requester: uploader }, code: "published" },
  { name: "while a ballot window is open", state: { windowOpen: true, requester: creator }, code: "window_open" },
  { name: "a participant votes no while its window is open", state: { windowOpen: true }, code: "window_open" },
  { name: "a participant votes no for a photo it does not have", state: { photoExists: false }, code: "unknown_photo" },
  // Precedence: a stranger learns nothing about the event's state beyond "not yours".
  { name: "unknown photo beats not yours", state: { photoExists: false, requester: someoneElse }, code: "unknown_photo" },
  { name: "not yours beats published and window open", state: { published: true, windowOpen: true, requester: someoneElse }, code: "not_yours" },
  { name: "published beats window open", state: { published: true, windowOpen: true, requester: uploader }, code: "published" },
];

for (const { name, state, code } of removalCases) {
  test(`removalRefusal: ${name} → ${code ?? "allowed"}`, () => {
    const refusal = removalRefusal({ ...removable, ...state });
    assert.equal(refusal?.code ?? null, code);
    if (refusal) assert.ok(refusal.message.length > 0, "a refusal always explains itself");
  });
}

// ---- ballotRefusal ----

type BallotState = Parameters<typeof ballotRefusal>[0];
const votable: BallotState = {
  eventExists: true,
  published: false,
  isContributor: true,
  currentVersion: 3,
  ballotVersion: 3,
  decision: "accept",
  target: { round: 1, opens: true },
  changePrepared: false,
  alreadyCast: false,
  windowEnded: false,
  contributorCount: 2,
  minContributors: 1,
};
/** Round 2 is open; round 1 was aborted. */
const round2Open = { target: { round: 2, opens: false } };
/** Round 2 was aborted: a ballot now opens round 3. */
const round2Over = { target: { round: 3, opens: true } };

const ballotCases: Array<{ name: string; state: Partial<BallotState>; code: string | null }> = [
  { name: "a contributor on the current version", state: {}, code: null },
  { name: "unknown event", state: { eventExists: false }, code: "unknown_event" },
  { name: "not a contributor", state: { isContributor: false }, code: "not_contributor" },
  { name: "published", state: { published: true }, code: "published" },
  { name: "an older version", state: { ballotVersion: 2 }, code: "superseded" },
  { name: "a version that does not exist (yet) here", state: { ballotVersion: 4 }, code: "unknown_version" },
  { name: "second ballot", state: { alreadyCast: true }, code: "already_cast" },
  { name: "a change prepared here", state: { changePrepared: true }, code: "busy" },
  { name: "not a contributor beats published", state: { isContributor: false, published: true }, code: "not_contributor" },
  { name: "superseded beats already cast", state: { ballotVersion: 2, alreadyCast: true }, code: "superseded" },
  { name: "the window's deadline has passed, not decided yet", state: { ...round2Open, windowEnded: true }, code: "window_closed" },
  { name: "already cast beats window closed", state: { ...round2Open, windowEnded: true, alreadyCast: true }, code: "already_cast" },
  { name: "window closed beats busy", state: { ...round2Open, windowEnded: true, changePrepared: true }, code: "window_closed" },
  // Numbered rounds (SPEC §1.12, §4.8)
  { name: "an accept into the open round 2, naming it", state: { ...round2Open, requestedRound: 2 }, code: null },
  { name: "a reject into the open round 2", state: { ...round2Open, decision: "reject" }, code: null },
  { name: "a ballot of round 1 once round 2 is open", state: { ...round2Open, requestedRound: 1 }, code: "round_closed" },
  { name: "a ballot of a round that does not exist yet", state: { ...round2Open, requestedRound: 3 }, code: "unknown_round" },
  { name: "an accept after round 2 was aborted opens round 3", state: { ...round2Over, requestedRound: 3 }, code: null },
  { name: "an accept naming no round after an abort opens the next one", state: round2Over, code: null },
  { name: "a late ballot of the aborted round 2", state: { ...round2Over, requestedRound: 2 }, code: "round_closed" },
  { name: "a reject with no open round after an abort", state: { ...round2Over, decision: "reject" }, code: "round_closed" },
  { name: "a reject opens round 1 (nothing ended yet)", state: { decision: "reject" }, code: null },
  { name: "a stale round beats already cast", state: { ...round2Open, requestedRound: 1, alreadyCast: true }, code: "round_closed" },
  // Contributors needed before a round can open (SPEC §1.13)
  { name: "too few contributors to open a round", state: { contributorCount: 1, minContributors: 2 }, code: "too_few_contributors" },
  { name: "exactly enough contributors", state: { contributorCount: 2, minContributors: 2 }, code: null },
  { name: "an open round is joined whatever the count", state: { ...round2Open, contributorCount: 1, minContributors: 2 }, code: null },
  { name: "too few contributors beats busy", state: { contributorCount: 1, minContributors: 3, changePrepared: true }, code: "too_few_contributors" },
];

test("ballotTarget: the open round, else the next one after an abort, else round 1", () => {
  assert.deepEqual(ballotTarget(undefined), { round: 1, opens: true });
  assert.deepEqual(ballotTarget({ round: 2, outcome: null }), { round: 2, opens: false });
  assert.deepEqual(ballotTarget({ round: 2, outcome: "aborted" }), { round: 3, opens: true });
});

test("countedBallots: one per person, a reject wins, ordered by cast time", () => {
  const a = { ...ballot("a", "accept"), castAtMs: 3 };
  const b1 = { ...ballot("b", "accept"), castAtMs: 1, site: "s1" };
  const b2 = { ...ballot("b", "reject"), castAtMs: 2, site: "s2", reason: "too dark" };
  assert.deepEqual(countedBallots([a, b1, b2]), [b2, a]);
  assert.deepEqual(countedBallots([b2, b1, a]), [b2, a], "the order of the votes does not matter");
  assert.deepEqual(countedBallots([a, a]), [a]);
});

test("roundOutcome: too few contributors never publish", () => {
  const names = new Map([["a", "Ana"]]);
  assert.deepEqual(roundOutcome(["a"], [ballot("a", "accept")], names, 2), { outcome: "aborted", reason: "The event needs 2 contributors before it can be published; it has 1." });
  assert.equal(roundOutcome(["a"], [ballot("a", "accept")], names, 1).outcome, "published");
});

for (const { name, state, code } of ballotCases) {
  test(`ballotRefusal: ${name} → ${code ?? "allowed"}`, () => {
    const refusal = ballotRefusal({ ...votable, ...state });
    assert.equal(refusal?.code ?? null, code);
    if (refusal) assert.ok(refusal.message.length > 0);
  });
}

test("ballotRefusal: a ballot for a future version is not called superseded", () => {
  const message = ballotRefusal({ ...votable, ballotVersion: 9 })?.message ?? "";
  assert.doesNotMatch(message, /superseded/);
  assert.match(message, /no montage version 9/);
});

test("ballotRefusal: a superseded ballot names both versions", () => {
  const message = ballotRefusal({ ...votable, ballotVersion: 2 })?.message ?? "";
  assert.match(message, /version 2/);
  assert.match(message, /version 3/);
});

// ---- ballotsByUser ----

const byUserCases: Array<{ name: string; ballots: BallotRecord[]; expected: Record<string, "accept" | "reject"> }> = [
  { name: "no ballots", ballots: [], expected: {} },
  { name: "one each", ballots: [ballot("a", "accept"), ballot("b", "reject")], expected: { a: "accept", b: "reject" } },
  { name: "the same accept from two sites counts once", ballots: [ballot("a", "accept", { site: "s0" }), ballot("a", "accept", { site: "s1" })], expected: { a: "accept" } },
  { name: "a reject after an accept wins", ballots: [ballot("a", "accept"), ballot("a", "reject", { castAtMs: 2_000 })], expected: { a: "reject" } },
  { name: "a reject before an accept still wins", ballots: [ballot("a", "reject"), ballot("a", "accept", { castAtMs: 2_000 })], expected: { a: "reject" } },
];

for (const { name, ballots, expected } of byUserCases) {
  test(`ballotsByUser: ${name}`, () => {
    const byUser = ballotsByUser(ballots);
    assert.deepEqual(Object.fromEntries([...byUser].map(([id, b]) => [id, b.decision])), expected);
  });
}

test("ballotsByUser: keeps the first accept's record (site, time) when duplicates agree", () => {
  const first = ballot("a", "accept", { site: "s2", castAtMs: 5 });
  assert.equal(ballotsByUser([first, ballot("a", "accept", { site: "s3", castAtMs: 9 })]).get("a"), first);
});

// ---- roundOutcome ----

const names = new Map([
  ["a", "Ana"],
  ["b", "Ben"],
  ["c", "Cleo"],
]);

const outcomeCases: Array<{ name: string; contributors: string[]; ballots: BallotRecord[]; outcome: "published" | "aborted"; reason: RegExp }> = [
  { name: "every contributor accepted", contributors: ["a", "b", "c"], ballots: [ballot("a", "accept"), ballot("b", "accept"), ballot("c", "accept")], outcome: "published", reason: /Everyone accepted/ },
  { name: "a single contributor accepted", contributors: ["a"], ballots: [ballot("a", "accept")], outcome: "published", reason: /Everyone accepted/ },
  { name: "accepts from different sites", contributors: ["a", "b"], ballots: [ballot("a", "accept", { site: "s1" }), ballot("b", "accept", { site: "s3" })], outcome: "published", reason: /Everyone accepted/ },
  { name: "one reject among accepts", contributors: ["a", "b", "c"], ballots: [ballot("a", "accept"), ballot("b", "reject"), ballot("c", "accept")], outcome: "aborted", reason: /^Ben rejected the montage\.$/ },
  { name: "reject wins over missing ballots", contributors: ["a", "b", "c"], ballots: [ballot("c", "reject")], outcome: "aborted", reason: /^Cleo rejected/ },
  { name: "two rejects are both named", contributors: ["a", "b", "c"], ballots: [ballot("a", "reject"), ballot("b", "reject"), ballot("c", "accept")], outcome: "aborted", reason: /^Ana and Ben rejected/ },
  { name: "a reject that contradicts an accept of the same person", contributors: ["a", "b"], ballots: [ballot("a", "accept"), ballot("b", "accept"), ballot("b", "reject", { site: "s2" })], outcome: "aborted", reason: /^Ben rejected/ },
  { name: "one ballot missing", contributors: ["a", "b"], ballots: [ballot("a", "accept")], outcome: "aborted", reason: /^Time ran out before Ben voted\.$/ },
  { name: "two ballots missing", contributors: ["a", "b", "c"], ballots: [ballot("b", "accept")], outcome: "aborted", reason: /^Time ran out before Ana and Cleo voted\.$/ },
  { name: "three ballots missing, listed in contributor order", contributors: ["c", "b", "a"], ballots: [], outcome: "aborted", reason: /^Time ran out before Cleo, Ben and Ana voted\.$/ },
  { name: "accepts from non-contributors do not stand in for a contributor", contributors: ["a", "b"], ballots: [ballot("a", "accept"), ballot("x", "accept"), ballot("y", "accept")], outcome: "aborted", reason: /Ben voted/ },
  { name: "a reject from a non-contributor does not count", contributors: ["a"], ballots: [ballot("a", "accept"), ballot("x", "reject")], outcome: "published", reason: /Everyone accepted/ },
  { name: "no contributors never publishes", contributors: [], ballots: [ballot("a", "accept")], outcome: "aborted", reason: /no contributors/ },
];

for (const { name, contributors, ballots, outcome, reason } of outcomeCases) {
  test(`roundOutcome: ${name} → ${outcome}`, () => {
    const result = roundOutcome(contributors, ballots, names);
    assert.equal(result.outcome, outcome);
    assert.match(result.reason, reason);
  });
}

test("roundOutcome: a name unknown to the map comes from the ballot, else 'someone'", () => {
  assert.equal(roundOutcome(["z"], [ballot("z", "reject", { userName: "Zoé" })], new Map()).reason, "Zoé rejected the montage.");
  assert.equal(roundOutcome(["z"], [], new Map()).reason, "Time ran out before someone voted.");
});

test("roundOutcome: the order of the ballots does not change the outcome", () => {
  const ballots = [ballot("a", "accept"), ballot("b", "reject"), ballot("b", "accept"), ballot("c", "accept")];
  const forward = roundOutcome(["a", "b", "c"], ballots, names);
  const backward = roundOutcome(["a", "b", "c"], [...ballots].reverse(), names);
  assert.deepEqual(forward, backward);
  assert.equal(forward.outcome, "aborted");
});

// ---- shouldDecide ----

const decideCases: Array<{ name: string; contributors: string[]; ballots: BallotRecord[]; nowMs: number; expected: boolean }> = [
  { name: "no ballots before the deadline", contributors: ["a", "b"], ballots: [], nowMs: 500, expected: false },
  { name: "some accepts before the deadline", contributors: ["a", "b"], ballots: [ballot("a", "accept")], nowMs: 500, expected: false },
  { name: "every contributor accepted", contributors: ["a", "b"], ballots: [ballot("a", "accept"), ballot("b", "accept")], nowMs: 500, expected: true },
  { name: "a reject, long before the deadline", contributors: ["a", "b"], ballots: [ballot("b", "reject")], nowMs: 0, expected: true },
  { name: "exactly at the deadline", contributors: ["a", "b"], ballots: [ballot("a", "accept")], nowMs: 1_000, expected: true },
  { name: "after the deadline", contributors: ["a", "b"], ballots: [], nowMs: 5_000, expected: true },
  { name: "accepts from others do not complete the set", contributors: ["a", "b"], ballots: [ballot("a", "accept"), ballot("x", "accept")], nowMs: 500, expected: false },
  { name: "no contributors: wait for the deadline", contributors: [], ballots: [], nowMs: 500, expected: false },
];

for (const { name, contributors, ballots, nowMs, expected } of decideCases) {
  test(`shouldDecide: ${name} → ${expected}`, () => {
    assert.equal(shouldDecide({ contributors, ballots, remainingMs: 1_000 - nowMs }), expected);
  });
}

// ---- eventStatus ----

const statusCases: Array<[{ published: boolean; windowOpen: boolean }, string]> = [
  [{ published: false, windowOpen: false }, "open"],
  [{ published: false, windowOpen: true }, "voting"],
  [{ published: true, windowOpen: false }, "published"],
  [{ published: true, windowOpen: true }, "published"],
];
for (const [state, expected] of statusCases) {
  test(`eventStatus: ${JSON.stringify(state)} → ${expected}`, () => assert.equal(eventStatus(state), expected));
}

// ---- hasCreatorRights and closingRefusal (the admin link, SPEC §1.14) ----

const rightsCases: Array<{ name: string; state: Parameters<typeof hasCreatorRights>[0]; expected: boolean }> = [
  { name: "the creator", state: { userId: "u_cora", creatorId: "u_cora", eventId: "ev_a", adminGrants: [] }, expected: true },
  { name: "someone holding this event's admin grant", state: { userId: "u_ben", creatorId: "u_cora", eventId: "ev_a", adminGrants: ["ev_b", "ev_a"] }, expected: true },
  { name: "someone holding another event's grant only", state: { userId: "u_ben", creatorId: "u_cora", eventId: "ev_a", adminGrants: ["ev_b"] }, expected: false },
  { name: "anyone else", state: { userId: "u_ben", creatorId: "u_cora", eventId: "ev_a", adminGrants: [] }, expected: false },
];
for (const { name, state, expected } of rightsCases) {
  test(`hasCreatorRights: ${name} → ${expected}`, () => assert.equal(hasCreatorRights(state), expected));
}

const closingCases: Array<{ name: string; state: Parameters<typeof closingRefusal>[0]; code: string | null }> = [
  { name: "the creator closes an open event", state: { eventExists: true, published: false, requester: { hasCreatorRights: true } }, code: null },
  { name: "a participant's vote (no requester) on an open event", state: { eventExists: true, published: false }, code: null },
  { name: "someone without the creator's rights", state: { eventExists: true, published: false, requester: { hasCreatorRights: false } }, code: "not_creator" },
  { name: "unknown event", state: { eventExists: false, published: false, requester: { hasCreatorRights: true } }, code: "unknown_event" },
  { name: "published", state: { eventExists: true, published: true, requester: { hasCreatorRights: true } }, code: "published" },
  { name: "a participant's vote on a published event", state: { eventExists: true, published: true }, code: "published" },
  { name: "not the creator beats published (nothing about the event leaks to them)", state: { eventExists: true, published: true, requester: { hasCreatorRights: false } }, code: "not_creator" },
];
for (const { name, state, code } of closingCases) {
  test(`closingRefusal: ${name} → ${code ?? "allowed"}`, () => {
    const refusal = closingRefusal(state);
    assert.equal(refusal?.code ?? null, code);
    if (refusal) assert.ok(refusal.message.length > 0);
  });
}
