// The home's round decision, table-driven: decide on a reject or a full set of accepts, else wait
// for the deadline on the home's clock; never decide a version the home does not hold yet.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { BallotRecord } from "./changes";
import type { RoundRow } from "./ports/product-store";
import { roundStep, type RoundFacts } from "./round-step";

const T0 = 1_800_000_000_000;
const round: RoundRow = { eventId: "ev_1", version: 2, openedAtMs: T0, deadlineMs: T0 + 120_000, outcome: null, reason: null, decidedAtMs: null };
const contributors = [
  { id: "u_ana", name: "Ana" },
  { id: "u_ben", name: "Ben" },
];
const accept = (userId: string): BallotRecord => ({ userId, userName: userId, decision: "accept", site: "s1", castAtMs: T0 });
const reject = (userId: string): BallotRecord => ({ ...accept(userId), decision: "reject" });
const facts = (over: Partial<RoundFacts>): RoundFacts => ({ eventId: "ev_1", nowMs: T0 + 1_000, currentVersion: 2, round, contributors, ballots: [], ...over });

const cases: Array<[string, Partial<RoundFacts>, ReturnType<typeof roundStep>["kind"]]> = [
  ["no round", { round: undefined }, "idle"],
  ["a decided round", { round: { ...round, outcome: "aborted" } }, "idle"],
  ["the home is still applying the version's last photo", { currentVersion: 1 }, "retry"],
  ["one accept of two, before the deadline", { ballots: [accept("u_ana")] }, "wait"],
  ["an accept from someone who is not a contributor", { ballots: [accept("u_ana"), accept("u_zed")] }, "wait"],
  ["every contributor accepted", { ballots: [accept("u_ana"), accept("u_ben")] }, "decide"],
  ["a reject", { ballots: [reject("u_ben")] }, "decide"],
  ["the deadline passed on the home's clock", { nowMs: T0 + 120_000 }, "decide"],
  ["a millisecond before the deadline", { nowMs: T0 + 119_999 }, "wait"],
];

for (const [name, over, kind] of cases) {
  test(`round step: ${name} → ${kind}`, () => {
    assert.equal(roundStep(facts(over)).kind, kind);
  });
}

test("round step: waits until the deadline, and decides with the home's contributors and clock", () => {
  assert.deepEqual(roundStep(facts({})), { kind: "wait", untilMs: T0 + 120_000 });
  assert.deepEqual(roundStep(facts({ nowMs: T0 + 130_000 })), {
    kind: "decide",
    data: { eventId: "ev_1", version: 2, contributors: ["u_ana", "u_ben"], contributorNames: { u_ana: "Ana", u_ben: "Ben" }, decidedAtMs: T0 + 130_000 },
  });
});
