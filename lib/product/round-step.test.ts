// The home's round decision, table-driven: decide on a reject or a full set of accepts, else wait
// for the window to run out as the home measures it; never decide a version the home does not
// hold yet; the decision names its round.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { BallotRecord } from "./changes";
import type { RoundRow } from "./ports/product-store";
import { roundStep, windowRemainingMs, type RoundFacts } from "./round-step";

const T0 = 1_800_000_000_000;
const round: RoundRow = { eventId: "ev_1", version: 2, round: 3, openedAtMs: T0, deadlineMs: T0 + 120_000, outcome: null, reason: null, decidedAtMs: null, contributors: null };
const contributors = [
  { id: "u_ana", name: "Ana" },
  { id: "u_ben", name: "Ben" },
];
const accept = (userId: string): BallotRecord => ({ userId, userName: userId, decision: "accept", site: "s1", castAtMs: T0 });
const reject = (userId: string): BallotRecord => ({ ...accept(userId), decision: "reject" });
const facts = (over: Partial<RoundFacts>): RoundFacts => ({
  eventId: "ev_1",
  nowMs: T0 + 1_000,
  remainingMs: 119_000,
  currentVersion: 2,
  minContributors: 1,
  round,
  contributors,
  ballots: [],
  ...over,
});

const cases: Array<[string, Partial<RoundFacts>, ReturnType<typeof roundStep>["kind"]]> = [
  ["no round", { round: undefined }, "idle"],
  ["a decided round", { round: { ...round, outcome: "aborted" } }, "idle"],
  ["the home is still applying the version's last photo", { currentVersion: 1 }, "retry"],
  ["one accept of two, before the deadline", { ballots: [accept("u_ana")] }, "wait"],
  ["an accept from someone who is not a contributor", { ballots: [accept("u_ana"), accept("u_zed")] }, "wait"],
  ["every contributor accepted", { ballots: [accept("u_ana"), accept("u_ben")] }, "decide"],
  ["a reject", { ballots: [reject("u_ben")] }, "decide"],
  ["the window has run out as the home measures it", { remainingMs: 0 }, "decide"],
  ["a millisecond of the window left", { remainingMs: 1 }, "wait"],
  ["the home's wall clock says the deadline passed, but the window is not over", { nowMs: T0 + 500_000, remainingMs: 60_000 }, "wait"],
];

for (const [name, over, kind] of cases) {
  test(`round step: ${name} → ${kind}`, () => {
    assert.equal(roundStep(facts(over)).kind, kind);
  });
}

test("round step: waits for what is left of the window, and decides that round with the home's contributors", () => {
  assert.deepEqual(roundStep(facts({})), { kind: "wait", inMs: 119_000 });
  assert.deepEqual(roundStep(facts({ nowMs: T0 + 130_000, remainingMs: 0, minContributors: 2 })), {
    kind: "decide",
    data: {
      eventId: "ev_1",
      version: 2,
      round: 3,
      contributors: ["u_ana", "u_ben"],
      contributorNames: { u_ana: "Ana", u_ben: "Ben" },
      minContributors: 2,
      decidedAtMs: T0 + 130_000,
    },
  });
});

const remainingCases: Array<[string, number, number]> = [
  ["a deadline just stamped", T0 + 120_000, 120_000],
  ["half of the window gone", T0 + 60_000, 60_000],
  ["the deadline passed while the home was down", T0 - 5_000, 0],
  ["the home's clock jumped back 10 minutes since it stamped the deadline: at most one window", T0 + 720_000, 120_000],
];
for (const [name, deadlineMs, expected] of remainingCases) {
  test(`window remaining when the home (re)starts timing it: ${name} → ${expected} ms`, () => {
    assert.equal(windowRemainingMs({ deadlineMs, wallNowMs: T0, windowMs: 120_000 }), expected);
  });
}
