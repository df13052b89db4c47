import { test } from "node:test";
import assert from "node:assert/strict";
import { coordinatorStep, initialCoordinatorState, type CoordinatorConfig, type CoordinatorInput, type CoordinatorState } from "./coordinator";
import type { Effect } from "./effects";
import { CHANGE, decided, SITES, transcript } from "./test-support";
import type { VoteValue } from "./types";

const T = "s0.t1";
const CONFIG: CoordinatorConfig = { prepareTimeoutMs: 60_000, resolve: () => ({ decision: "commit", result: { n: 7 } }) };

/** Runs inputs in order from a fresh coordinator s0; returns the final state and every step's transcript. */
function run(inputs: CoordinatorInput[], config = CONFIG): { state: CoordinatorState; steps: string[][]; effects: Effect[][] } {
  let state = initialCoordinatorState("s0");
  const steps: string[][] = [];
  const effects: Effect[][] = [];
  for (const input of inputs) {
    const out = coordinatorStep(state, input, config);
    state = out.state;
    steps.push(transcript(out.effects));
    effects.push(out.effects);
  }
  return { state, steps, effects };
}

const begin: CoordinatorInput = { type: "begin", txId: T, change: CHANGE, participants: SITES, nowMs: 1_000 };
const vote = (from: string, v: VoteValue, reason?: string): CoordinatorInput => ({ type: "vote", from, txId: T, vote: { vote: v, code: reason?.replace(/ /g, "_"), reason } });
const ack = (from: string): CoordinatorInput => ({ type: "ack", from, txId: T });
const allYes = SITES.map((s) => vote(s, "yes"));

test("coordinator: begin sends non-durable PREPAREs to every participant, itself included, and arms the timeout", () => {
  const { steps } = run([begin]);
  assert.deepEqual(steps[0], ["send PREPARE to s0", "send PREPARE to s1", "send PREPARE to s2", "send PREPARE to s3", "setTimer prepare-timeout at 61000"]);
});

test("coordinator: commit logs the decision before the DECISIONs, which are durable, and carries the result", () => {
  const { steps, effects } = run([begin, ...allYes]);
  assert.deepEqual(steps.slice(1, 4), [[], [], []]);
  assert.deepEqual(steps[4], [
    "persist coordinator.decided commit",
    "clearTimer prepare-timeout",
    "send DECISION commit to s0 (durable)",
    "send DECISION commit to s1 (durable)",
    "send DECISION commit to s2 (durable)",
    "send DECISION commit to s3 (durable)",
    "decided commit (coordinator)",
  ]);
  const send = effects[4]?.find((e) => e.type === "send");
  assert.ok(send?.type === "send" && send.msg.type === "DECISION");
  assert.deepEqual(send.msg.result, { n: 7 });
});

test("coordinator: one NO aborts at once; the NO voter holds nothing and gets no ABORT", () => {
  const { steps, state } = run([begin, vote("s1", "yes"), vote("s2", "no", "full")]);
  assert.deepEqual(steps[2], [
    "persist coordinator.decided abort",
    "clearTimer prepare-timeout",
    "send DECISION abort to s0 (durable)",
    "send DECISION abort to s1 (durable)",
    "send DECISION abort to s3 (durable)",
    "decided abort (coordinator)",
  ]);
  assert.equal(state.txns.get(T)?.reason, "s2 voted no: full");
  assert.equal(state.txns.get(T)?.code, "full", "the voter's code is the decision's code, carried without reading the reason");
});

test("coordinator: the abort's code is durable, sent with the DECISION, and silence has the engine's own code", () => {
  const { effects } = run([begin, vote("s2", "no", "window open")]);
  const step = effects[1] ?? [];
  const persist = step.find((e) => e.type === "persist");
  assert.equal(persist?.type === "persist" && persist.record.kind === "coordinator.decided" ? persist.record.code : undefined, "window_open");
  const send = step.find((e) => e.type === "send");
  assert.equal(send?.type === "send" && send.msg.type === "DECISION" ? send.msg.code : undefined, "window_open");
  const silent = run([begin, { type: "prepare-timeout", txId: T }]).state.txns.get(T);
  assert.equal(silent?.code, "no_vote_in_time", "a site that did not answer is never a yes");
});

test("coordinator: late, duplicate and foreign votes change nothing", () => {
  const { steps, state } = run([begin, vote("s1", "yes"), vote("s1", "no"), vote("s9", "no"), ...allYes, vote("s3", "no")]);
  assert.deepEqual(steps.slice(2, 4), [[], []]);
  assert.equal(state.txns.get(T)?.decision, "commit");
  assert.deepEqual(steps.at(-1), []);
});

test("coordinator: a silent participant is never a yes: the prepare timeout aborts", () => {
  const { steps, state } = run([begin, vote("s0", "yes"), vote("s1", "yes"), vote("s2", "yes"), { type: "prepare-timeout", txId: T }]);
  assert.equal(steps[4]?.[0], "persist coordinator.decided abort");
  assert.equal(state.txns.get(T)?.reason, "no vote from s3 in time");
  const stale = run([begin, ...allYes, { type: "prepare-timeout", txId: T }]);
  assert.deepEqual(stale.steps.at(-1), []);
});

test("coordinator: the decision is kept until every participant ACKed, then ended and forgotten", () => {
  const { steps, state } = run([begin, ...allYes, ack("s0"), ack("s1"), ack("s1"), ack("s2"), ack("s3")]);
  assert.deepEqual(steps.slice(5, 9), [[], [], [], []]);
  assert.deepEqual(steps.at(-1), ["persist coordinator.ended"]);
  assert.equal(state.txns.size, 0);
});

test("coordinator: the domain's resolve may abort even when everyone voted yes", () => {
  const config: CoordinatorConfig = { ...CONFIG, resolve: () => ({ decision: "abort", code: "round_incomplete", reason: "round incomplete" }) };
  const { state, steps } = run([begin, ...allYes], config);
  assert.equal(steps[4]?.[0], "persist coordinator.decided abort");
  assert.equal(state.txns.get(T)?.reason, "round incomplete");
});

test("coordinator: INQUIRY answers pending while collecting, the decision once decided", () => {
  const inquiry: CoordinatorInput = { type: "inquiry", from: "s2", txId: T, history: [] };
  const { steps } = run([begin, inquiry, ...allYes, inquiry]);
  assert.deepEqual(steps[1], ["reply STATUS"]);
  assert.deepEqual(steps.at(-1), ["reply DECISION commit"]);
});

test("coordinator: INQUIRY about an ended txn answers from the log", () => {
  const { steps } = run([{ type: "inquiry", from: "s2", txId: T, history: [decided(T, "commit")] }]);
  assert.deepEqual(steps[0], ["reply DECISION commit"]);
});

test("coordinator: INQUIRY about an unknown txn fences: durable ABORT first, then the answer", () => {
  const { steps } = run([{ type: "inquiry", from: "s2", txId: "s0.lost", history: [] }]);
  assert.deepEqual(steps[0], ["persist coordinator.decided abort fenced", "reply DECISION abort"]);
});

test("coordinator: fence (an outcome query) logs a presumed abort unless a decision is logged", () => {
  assert.deepEqual(run([{ type: "fence", txId: "s0.lost", history: [] }]).steps[0], ["persist coordinator.decided abort fenced"]);
  assert.deepEqual(run([{ type: "fence", txId: T, history: [decided(T, "commit")] }]).steps[0], []);
});

test("coordinator: recovery re-sends unacked decisions, forgets ended and fenced txns", () => {
  const fenced = { ...decided("s0.f", "abort"), fenced: true };
  const records = [decided("s0.a", "commit"), decided("s0.b", "commit"), { v: 1 as const, kind: "coordinator.ended" as const, txId: "s0.b" }, fenced];
  const { state, steps } = run([{ type: "recovered", records }]);
  assert.deepEqual([...state.txns.keys()], ["s0.a"]);
  assert.deepEqual(steps[0], SITES.map((s) => `send DECISION commit to ${s} (durable)`));
});

test("coordinator: begin twice with one txId is a bug", () => {
  assert.throws(() => run([begin, begin]), /begun twice/);
});

// Every coordinator state × input, as a table. "ended" means: only the log remembers it.
const STATE_SETUPS: Record<string, { inputs: CoordinatorInput[]; history: ReturnType<typeof decided>[] }> = {
  unknown: { inputs: [], history: [] },
  collecting: { inputs: [begin, vote("s1", "yes")], history: [] },
  decided: { inputs: [begin, ...allYes], history: [decided(T, "commit")] },
  ended: { inputs: [begin, ...allYes, ...SITES.map(ack)], history: [decided(T, "commit")] },
};

const INPUTS: Record<string, (history: ReturnType<typeof decided>[]) => CoordinatorInput> = {
  "VOTE yes": () => vote("s2", "yes"),
  "VOTE no": () => vote("s2", "no"),
  ACK: () => ack("s2"),
  INQUIRY: (history) => ({ type: "inquiry", from: "s2", txId: T, history }),
  "prepare timeout": () => ({ type: "prepare-timeout", txId: T }),
};

const COORDINATOR_TABLE: [state: string, input: string, expected: string[]][] = [
  ["unknown", "VOTE yes", []],
  ["unknown", "VOTE no", []],
  ["unknown", "ACK", []],
  ["unknown", "INQUIRY", ["persist coordinator.decided abort fenced", "reply DECISION abort"]],
  ["unknown", "prepare timeout", []],
  ["collecting", "VOTE yes", []],
  ["collecting", "VOTE no", ["persist coordinator.decided abort", "clearTimer prepare-timeout", "send DECISION abort to s0 (durable)", "send DECISION abort to s1 (durable)", "send DECISION abort to s3 (durable)", "decided abort (coordinator)"]],
  ["collecting", "ACK", []],
  ["collecting", "INQUIRY", ["reply STATUS"]],
  ["collecting", "prepare timeout", ["persist coordinator.decided abort", "clearTimer prepare-timeout", ...SITES.map((s) => `send DECISION abort to ${s} (durable)`), "decided abort (coordinator)"]],
  ["decided", "VOTE yes", []],
  ["decided", "VOTE no", []],
  ["decided", "ACK", []],
  ["decided", "INQUIRY", ["reply DECISION commit"]],
  ["decided", "prepare timeout", []],
  ["ended", "VOTE yes", []],
  ["ended", "VOTE no", []],
  ["ended", "ACK", []],
  ["ended", "INQUIRY", ["reply DECISION commit"]],
  ["ended", "prepare timeout", []],
];

for (const [stateName, inputName, expected] of COORDINATOR_TABLE) {
  test(`coordinator ${stateName} + ${inputName}`, () => {
    const setup = STATE_SETUPS[stateName] ?? assert.fail("no such state");
    const input = (INPUTS[inputName] ?? assert.fail("no such input"))(setup.history);
    const { steps } = run([...setup.inputs, input]);
    assert.deepEqual(steps.at(-1), expected);
  });
}
