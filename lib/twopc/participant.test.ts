import { test } from "node:test";
import assert from "node:assert/strict";
import { initialParticipantState, participantStep, type ParticipantInput, type ParticipantState, inquiryDelayMs } from "./participant";
import { aborted, CHANGE, committed, OTHER_KEY, prepared, SITES, transcript } from "./test-support";
import type { LogRecord } from "./log-records";

const CONFIG = { inquiryAfterMs: 1_000, inquiryMaxDelayMs: 8_000 };
const T = "s0.t1";

/** Participant s1 in each state the protocol knows, with the durable history that goes with it. */
const STATES: Record<string, { state: ParticipantState; history: LogRecord[] }> = {
  unknown: { state: initialParticipantState("s1"), history: [] },
  prepared: (() => {
    const out = participantStep(initialParticipantState("s1"), prepareInput([]), CONFIG);
    return { state: out.state, history: [prepared(T)] };
  })(),
  committed: { state: initialParticipantState("s1"), history: [prepared(T), committed(T)] },
  aborted: { state: initialParticipantState("s1"), history: [prepared(T), aborted(T, false)] },
  tombstone: { state: initialParticipantState("s1"), history: [aborted(T, true)] },
};

function prepareInput(history: LogRecord[]): Extract<ParticipantInput, { type: "prepare" }> {
  return { type: "prepare", from: "s0", txId: T, participants: SITES, change: CHANGE, verdict: { vote: "yes" }, history, nowMs: 100 };
}
function decisionInput(decision: "commit" | "abort", history: LogRecord[], asReply = false): ParticipantInput {
  return { type: "decision", from: "s0", txId: T, decision, history, asReply, reason: decision === "abort" ? "r" : undefined };
}

type Row = [state: keyof typeof STATES, message: string, expected: string[] | RegExp];

// Every state × message. A RegExp means: the step must refuse (an invariant of the protocol).
const TABLE: Row[] = [
  ["unknown", "PREPARE", ["persist participant.prepared", "prepareChange", "setTimer inquiry at 1100", "reply VOTE yes"]],
  ["unknown", "COMMIT", /never prepared/],
  ["unknown", "ABORT", ["persist participant.aborted tombstone", "reply ACK"]],
  ["unknown", "STATUS pending", []],
  ["unknown", "inquiry due", []],
  ["prepared", "PREPARE", ["reply VOTE yes"]],
  ["prepared", "COMMIT", ["persist participant.committed", "commitChange", "clearTimer inquiry", "unsend inq:s0.t1 to s0", "decided commit (participant)", "reply ACK"]],
  ["prepared", "ABORT", ["persist participant.aborted", "abortChange", "clearTimer inquiry", "unsend inq:s0.t1 to s0", "decided abort (participant)", "reply ACK"]],
  ["prepared", "STATUS pending", ["setTimer inquiry at 2100"]],
  ["prepared", "inquiry due", ["send INQUIRY to s0 (durable)"]],
  ["committed", "PREPARE", ["reply VOTE yes"]],
  ["committed", "COMMIT", ["reply ACK"]],
  ["committed", "ABORT", /committed/],
  ["committed", "STATUS pending", []],
  ["committed", "inquiry due", []],
  ["aborted", "PREPARE", ["reply VOTE no (already_aborted)"]],
  ["aborted", "COMMIT", /aborted/],
  ["aborted", "ABORT", ["reply ACK"]],
  ["tombstone", "PREPARE", ["reply VOTE no (already_aborted)"]],
  ["tombstone", "COMMIT", /aborted/],
  ["tombstone", "ABORT", ["reply ACK"]],
];

function inputFor(message: string, history: LogRecord[]): ParticipantInput {
  switch (message) {
    case "PREPARE":
      return prepareInput(history);
    case "COMMIT":
      return decisionInput("commit", history);
    case "ABORT":
      return decisionInput("abort", history);
    case "STATUS pending":
      return { type: "status-pending", txId: T, nowMs: 100 };
    default:
      return { type: "inquiry-due", txId: T };
  }
}

for (const [stateName, message, expected] of TABLE) {
  test(`participant ${stateName} + ${message}`, () => {
    const { state, history } = STATES[stateName] ?? assert.fail("no such state");
    const step = () => participantStep(state, inputFor(message, history), CONFIG);
    if (expected instanceof RegExp) assert.throws(step, expected);
    else assert.deepEqual(transcript(step().effects), expected);
  });
}

test("participant: a duplicate PREPARE gets the same vote and logs nothing new", () => {
  const first = participantStep(initialParticipantState("s1"), { ...prepareInput([]), verdict: { vote: "yes", info: { n: 1 } } }, CONFIG);
  const again = participantStep(first.state, prepareInput([prepared(T)]), CONFIG);
  assert.deepEqual(again.effects, [{ type: "reply", msg: { type: "VOTE", txId: T, vote: "yes", info: { n: 1 } } }]);
});

test("participant: ABORT before PREPARE, then the late PREPARE votes NO", () => {
  const abort = participantStep(initialParticipantState("s1"), decisionInput("abort", []), CONFIG);
  const tombstone = abort.effects.find((e) => e.type === "persist");
  assert.ok(tombstone?.type === "persist");
  const late = participantStep(abort.state, prepareInput([tombstone.record]), CONFIG);
  assert.deepEqual(transcript(late.effects), ["reply VOTE no (already_aborted)"]);
});

test("participant: a duplicate COMMIT applies the change once", () => {
  const { state } = STATES.prepared ?? assert.fail();
  const first = participantStep(state, decisionInput("commit", [prepared(T)]), CONFIG);
  assert.equal(first.effects.filter((e) => e.type === "commitChange").length, 1);
  const second = participantStep(first.state, decisionInput("commit", [prepared(T), committed(T)]), CONFIG);
  assert.deepEqual(transcript(second.effects), ["reply ACK"]);
});

test("participant: a decision that answers our INQUIRY is applied but not ACKed (nobody to ACK)", () => {
  const { state } = STATES.prepared ?? assert.fail();
  const out = participantStep(state, decisionInput("commit", [prepared(T)], true), CONFIG);
  assert.ok(!transcript(out.effects).includes("reply ACK"));
  assert.ok(transcript(out.effects).includes("commitChange"));
});

test("participant: a second txn on a key held by a prepared txn votes NO busy; another key is fine", () => {
  const { state } = STATES.prepared ?? assert.fail();
  const same = participantStep(state, { ...prepareInput([]), txId: "s2.t2", from: "s2" }, CONFIG);
  assert.deepEqual(transcript(same.effects), ["reply VOTE no (busy)"]);
  const other = participantStep(state, { ...prepareInput([]), txId: "s2.t3", from: "s2", change: OTHER_KEY }, CONFIG);
  assert.equal(transcript(other.effects).at(-1), "reply VOTE yes");
});

test("participant: the domain's NO and a PREPARE that does not list us vote NO without logging", () => {
  const no = participantStep(initialParticipantState("s1"), { ...prepareInput([]), verdict: { vote: "no", code: "full", reason: "full" } }, CONFIG);
  assert.deepEqual(transcript(no.effects), ["reply VOTE no (full)"]);
  const foreign = participantStep(initialParticipantState("s1"), { ...prepareInput([]), participants: ["s0", "s2"] }, CONFIG);
  assert.deepEqual(transcript(foreign.effects), ["reply VOTE no (not_participant)"]);
});

test("participant: recovery rebuilds only the in-doubt txns and asks their coordinators at once", () => {
  const records = [prepared("a.1"), prepared("a.2"), committed("a.2"), prepared("a.3"), aborted("a.3", false), aborted("a.4", true)];
  const out = participantStep(initialParticipantState("s1"), { type: "recovered", records, nowMs: 50 }, CONFIG);
  assert.deepEqual([...out.state.prepared.keys()], ["a.1"]);
  assert.deepEqual(transcript(out.effects), ["setTimer inquiry at 50"]);
});

test("participant: while the coordinator keeps answering pending, inquiries back off (doubling, capped)", () => {
  let state = participantStep(initialParticipantState("s1"), prepareInput([]), CONFIG).state;
  const waits: number[] = [];
  for (let i = 0; i < 6; i++) {
    const nowMs = 10_000 * (i + 1);
    const out = participantStep(state, { type: "status-pending", txId: T, nowMs }, CONFIG);
    state = out.state;
    const timer = out.effects.find((e) => e.type === "setTimer");
    assert.ok(timer?.type === "setTimer");
    waits.push(timer.atMs - nowMs);
  }
  assert.deepEqual(waits, [2_000, 4_000, 8_000, 8_000, 8_000, 8_000]);
  assert.equal(inquiryDelayMs({ inquiryAfterMs: 20_000, inquiryMaxDelayMs: 8_000 }, 3), 20_000, "never below the first wait");
});
