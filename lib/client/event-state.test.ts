import { test } from "node:test";
import assert from "node:assert/strict";
import { eventView, type EventView } from "@/lib/api/contract";
import { acceptTally, ballotState, describeReason, lastAbort, roundLabel, sitesWaitingFor, uploadAvailability } from "./event-state";

const deadline = "2026-11-22T10:02:00.000Z";

function event(change: Partial<EventView> = {}, viewer: Partial<EventView["viewer"]> = {}): EventView {
  return eventView.parse({
    eventId: "e1",
    title: "Picnic",
    status: "open",
    homeSite: "s0",
    siteId: "s0",
    url: "http://127.0.0.1:8000/e/e1",
    createdAt: "2026-11-22T09:00:00.000Z",
    creatorName: "Mia",
    closed: false,
    montage: { version: 2, photoCount: 2, url: "/m", downloadUrl: null },
    photos: [],
    contributors: [
      { userId: "mia", name: "Mia", photoCount: 1, ballot: null },
      { userId: "ben", name: "Ben", photoCount: 1, ballot: null },
    ],
    round: null,
    lastAbortedRound: null,
    rounds: [],
    minContributors: 1,
    published: null,
    sites: [
      { siteId: "s0", acknowledged: true },
      { siteId: "s1", acknowledged: false },
      { siteId: "s2", acknowledged: true },
      { siteId: "s3", acknowledged: false },
    ],
    viewer: { userId: "mia", name: "Mia", isContributor: true, photoCount: 1, canUpload: true, canVote: true, ballot: null, hasCreatorRights: false, nextRound: { round: 1, opens: true }, ...viewer },
    limits: { maxContributors: 10, maxPhotosPerPerson: 3, maxPhotoBytes: 1000, ballotWindowMs: 120_000 },
    ...change,
  });
}

const round = (outcome: "published" | "aborted" | null = null, reason: string | null = null) => ({
  version: 2,
  round: 1,
  deadline,
  remainingMs: outcome === null ? 60_000 : null,
  ballots: [],
  outcome,
  reason,
  decidedAt: outcome === null ? null : deadline,
  notVoted: [],
});

test("the sites still to acknowledge, in order", () => {
  assert.deepEqual(sitesWaitingFor(event().sites), ["s1", "s3"]);
});

test("uploads: the first reason that applies is the one shown", () => {
  const cases: Array<[string, EventView, boolean, RegExp | null]> = [
    ["open and signed in", event(), true, null],
    ["published", event({ status: "published" }), true, /no longer takes photos/],
    ["ballot window open", event({ status: "voting", round: round() }), true, /paused while the ballot window is open/],
    ["event still pending", event({ status: "pending" }), true, /as soon as every site has the event/],
    ["no session", event({}, { userId: null, name: null, isContributor: false, photoCount: 0 }), false, /Tell us your name/],
    ["own limit reached", event({}, { photoCount: 3 }), true, /maximum of 3 photos/],
    ["event full", event({ limits: { maxContributors: 2, maxPhotosPerPerson: 3, maxPhotoBytes: 1000, ballotWindowMs: 1 } }, { userId: "sam", isContributor: false, photoCount: 0 }), true, /maximum of 2 contributors/],
    ["closed to newcomers", event({ closed: true }, { userId: "sam", isContributor: false, photoCount: 0 }), true, /Mia, who started this event, has closed it to new contributors/],
    ["closed, but already a contributor", event({ closed: true }), true, null],
    ["the site says no", event({}, { canUpload: false }), true, /right now/],
  ];
  for (const [name, e, signedIn, reason] of cases) {
    const result = uploadAvailability(e, signedIn);
    if (reason === null) assert.equal(result.allowed, true, name);
    else assert.ok(!result.allowed && reason.test(result.reason), name);
  }
});

test("the ballot panel's state follows the event and the viewer", () => {
  assert.equal(ballotState(event({ montage: { version: 0, photoCount: 0, url: null, downloadUrl: null } }), true).kind, "no-montage");
  assert.deepEqual(ballotState(event(), true), { kind: "can-vote", version: 2, round: 1, opens: true, alone: false, deadline: null });
  assert.deepEqual(ballotState(event({ status: "voting", round: round() }, { ballot: "accept", canVote: false }), true), {
    kind: "voted",
    version: 2,
    round: 1,
    decision: "accept",
    deadline,
  });
  assert.deepEqual(ballotState(event({}, { isContributor: false, canVote: false, photoCount: 0 }), false), {
    kind: "observer",
    version: 2,
    round: 1,
    deadline: null,
    signedIn: false,
  });
  assert.equal(ballotState(event({}, { canVote: false }), true).kind, "waiting");
  // After an abort, accepting the same version again opens round 2 (no new photo needed).
  assert.deepEqual(ballotState(event({ round: round("aborted", "timeout") }, { nextRound: { round: 2, opens: true } }), true), {
    kind: "can-vote",
    version: 2,
    round: 2,
    opens: true,
    alone: false,
    deadline: null,
  });
  // The only contributor: accepting publishes at once, so the page asks first.
  const lone = event({ contributors: [{ userId: "mia", name: "Mia", photoCount: 1, ballot: null }] });
  assert.equal((ballotState(lone, true) as { alone: boolean }).alone, true);
  // The creator asked for 3 contributors before a round can open.
  assert.deepEqual(ballotState(event({ minContributors: 3 }, { canVote: false }), true), { kind: "needs-contributors", version: 2, needed: 3, have: 2 });
  assert.equal(ballotState(event({ status: "voting", round: round(), minContributors: 3 }, { nextRound: { round: 1, opens: false } }), true).kind, "can-vote", "an open round is joined");
  assert.equal(roundLabel(1), null);
  assert.equal(roundLabel(2), "Round 2");
  assert.equal(
    ballotState(event({ status: "published", published: { version: 2, publishedAt: deadline, url: "/m", downloadUrl: "/d" } }, { canVote: false }), true).kind,
    "published",
  );
});

test("tally and the reason a round ended", () => {
  const e = event({ contributors: [{ userId: "a", name: "A", photoCount: 1, ballot: "accept" }, { userId: "b", name: "B", photoCount: 2, ballot: null }] });
  assert.deepEqual(acceptTally(e), { accepted: 1, total: 2 });
  assert.equal(describeReason("timeout"), "Time ran out before everyone had accepted.");
  assert.equal(describeReason("Mia rejected the montage."), "Mia rejected the montage.");
  assert.equal(describeReason("time ran out before Sam voted"), "Time ran out before Sam voted.");
  assert.equal(describeReason(null), "Not every contributor accepted.");
  assert.equal(lastAbort(event({ round: round("aborted", "timeout") }))?.reason, "timeout");
  assert.equal(lastAbort(event({ status: "voting", round: round(), lastAbortedRound: round("aborted", "x") })), null);
  assert.equal(lastAbort(event({ lastAbortedRound: round("aborted", "x") }))?.reason, "x");
});
