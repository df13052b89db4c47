// Scenario tests of the runtime (TwoPcNode) on a fault-free simulated cluster; faults are injected by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { coordinatorStep } from "./coordinator";
import type { Outcome } from "./outcome";
import { appendChange, readList } from "./sim/domain";
import { createTestCluster, type TestCluster } from "./sim/test-cluster";

function nodeOf(t: TestCluster, id: string) {
  return t.site(id).node ?? assert.fail(`${id} is down`);
}

function listAt(t: TestCluster, id: string, key: string): string[] {
  const store = t.site(id).store;
  return readList((k) => store.committedValue(k), key);
}

function assertClean(t: TestCluster): void {
  t.checker.final();
  assert.deepEqual(t.checker.violations, []);
}

test("node: a txn commits at every site, the user is told committed, and nothing is left over", async () => {
  const t = createTestCluster();
  const s0 = nodeOf(t, "s0");
  const txId = s0.begin(appendChange("e1", { item: "p1", veto: false }));
  t.checker.begun.set(txId, { txId, coordinator: "s0", participants: ["s0", "s1", "s2", "s3"] });
  let told: Outcome | undefined;
  void s0.waitForOutcome(txId, 5_000).then((o) => (told = o));
  await t.quiesce();
  assert.equal(told?.state, "committed");
  assert.deepEqual(s0.outcome(txId).sites.s3, { vote: "yes", acked: true });
  for (const id of ["s0", "s1", "s2", "s3"]) assert.deepEqual(listAt(t, id, "e1"), ["p1"]);
  assertClean(t);
});

test("node: a down participant makes the answer pending (with who answered); it commits once the site returns", async () => {
  const t = createTestCluster();
  t.cluster.crash("s3", "test");
  const s0 = nodeOf(t, "s0");
  const txId = s0.begin(appendChange("e1", { item: "p1", veto: false }));
  t.checker.begun.set(txId, { txId, coordinator: "s0", participants: ["s0", "s1", "s2", "s3"] });
  const outcome = await (async () => {
    const waiting = s0.waitForOutcome(txId, 2_000);
    await t.runFor(3_000);
    return waiting;
  })();
  assert.equal(outcome.state, "pending");
  assert.deepEqual(
    Object.entries(outcome.sites).map(([site, s]) => `${site}:${s.vote}`),
    ["s0:yes", "s1:yes", "s2:yes", "s3:none"],
  );
  assert.ok((s0.status().peers.find((p) => p.peer === "s3")?.backlog ?? 0) > 0, "backlog to s3 is visible");
  t.cluster.restart("s3");
  await t.quiesce();
  assert.equal(s0.outcome(txId).state, "committed");
  assert.deepEqual(listAt(t, "s3", "e1"), ["p1"]);
  assertClean(t);
});

test("node: a duplicate inbound message gets the stored reply and changes nothing", async () => {
  const t = createTestCluster();
  const s1 = nodeOf(t, "s1");
  const prepare = {
    v: 1 as const,
    type: "PREPARE" as const,
    msgId: "m1",
    txId: "s0.x1",
    from: "s0",
    participants: ["s0", "s1", "s2", "s3"],
    change: appendChange("e1", { item: "p1", veto: false }),
  };
  const first = s1.handle("s0", [prepare]);
  const again = s1.handle("s0", [prepare]);
  assert.equal(first[0]?.type, "VOTE");
  assert.deepEqual(again, first);
  const records = t.site("s1").store.committedLogFor("s0.x1");
  assert.deepEqual(records.map((r) => r.kind), ["participant.prepared"]);
  await t.runFor(10);
});

test("node: crash after logging the prepare; after restart the in-doubt txn still commits", async () => {
  const t = createTestCluster();
  t.crashPlan.armed = { site: "s2", name: "participant.after-log-prepare", nth: 1 };
  const s0 = nodeOf(t, "s0");
  const txId = s0.begin(appendChange("e1", { item: "p1", veto: false }));
  t.checker.begun.set(txId, { txId, coordinator: "s0", participants: ["s0", "s1", "s2", "s3"] });
  await t.runFor(100);
  assert.equal(t.site("s2").node, undefined, "s2 crashed at the failpoint");
  t.cluster.restart("s2");
  assert.deepEqual(nodeOf(t, "s2").status().inDoubt.map((d) => d.txId), [txId]);
  await t.quiesce();
  assert.equal(s0.outcome(txId).state, "committed");
  assertClean(t);
});

test("node: coordinator crash after logging the decision; recovery re-sends it and the txn finishes", async () => {
  const t = createTestCluster();
  t.crashPlan.armed = { site: "s0", name: "coordinator.after-log-decision", nth: 1 };
  const txId = nodeOf(t, "s0").begin(appendChange("e1", { item: "p1", veto: false }));
  t.checker.begun.set(txId, { txId, coordinator: "s0", participants: ["s0", "s1", "s2", "s3"] });
  await t.runFor(100);
  assert.equal(t.site("s0").node, undefined);
  t.cluster.restart("s0");
  await t.quiesce();
  assert.equal(nodeOf(t, "s0").outcome(txId).state, "committed");
  for (const id of ["s0", "s1", "s2", "s3"]) assert.deepEqual(listAt(t, id, "e1"), ["p1"]);
  assertClean(t);
});

test("node: coordinator crash before deciding: presumed abort, fenced, and the prepared participants learn it", async () => {
  const t = createTestCluster();
  t.crashPlan.armed = { site: "s0", name: "coordinator.before-log-decision", nth: 1 };
  const txId = nodeOf(t, "s0").begin(appendChange("e1", { item: "p1", veto: false }));
  t.checker.begun.set(txId, { txId, coordinator: "s0", participants: ["s0", "s1", "s2", "s3"] });
  await t.runFor(100);
  t.cluster.restart("s0");
  await t.quiesce();
  const outcome = nodeOf(t, "s0").outcome(txId);
  assert.equal(outcome.state, "aborted");
  assert.equal(outcome.reason, "presumed abort");
  for (const id of ["s0", "s1", "s2", "s3"]) assert.deepEqual(listAt(t, id, "e1"), []);
  assertClean(t);
});

test("node: outcome() of an unknown txn minted here is a durable presumed abort", () => {
  const t = createTestCluster();
  const s0 = nodeOf(t, "s0");
  assert.equal(s0.outcome("s0.never").state, "aborted");
  const fenced = t.site("s0").store.committedLogFor("s0.never");
  assert.equal(fenced[0]?.kind, "coordinator.decided");
  assert.equal(nodeOf(t, "s1").outcome("s0.never").state, "unknown");
});

test("node: a NO for a domain reason aborts at once with the reason", async () => {
  const t = createTestCluster();
  const s1 = nodeOf(t, "s1");
  const txIds: string[] = [];
  for (const item of ["a", "b", "c", "d"]) {
    const txId = s1.begin(appendChange("k", { item, veto: false }));
    txIds.push(txId);
    t.checker.begun.set(txId, { txId, coordinator: "s1", participants: ["s0", "s1", "s2", "s3"] });
    await t.quiesce();
  }
  const last = s1.outcome(txIds[3] ?? "");
  assert.equal(last.state, "aborted");
  assert.match(last.reason ?? "", /voted no: list full/);
  assertClean(t);
});

test("node: sendApp delivers an APP message at least once, durably, after the enqueuing transaction", async () => {
  const t = createTestCluster();
  const s0 = nodeOf(t, "s0");
  t.cluster.crash("s2", "test");
  s0.transact((tx) => s0.sendApp(tx, "s2", "window-opened:e1", { eventId: "e1" }));
  await t.runFor(500);
  assert.equal(s0.status().peers.find((p) => p.peer === "s2")?.backlog, 1);
  t.cluster.restart("s2");
  await t.quiesce();
  assert.equal(t.site("s2").store.committedValue("seen:window-opened:e1"), 1);
  assert.equal(s0.status().peers.find((p) => p.peer === "s2")?.backlog, 0);
});

test("node: onDecision reports coordinator and participant decisions after they are durable", async () => {
  const t = createTestCluster();
  const events: string[] = [];
  for (const id of ["s0", "s1"]) nodeOf(t, id).onDecision((e) => events.push(`${e.site} ${e.role} ${e.decision}`));
  nodeOf(t, "s0").begin(appendChange("e1", { item: "p1", veto: true }));
  await t.quiesce();
  assert.deepEqual(events.sort(), ["s0 coordinator abort", "s0 participant abort", "s1 participant abort"]);
});

test("node: sendApp in the caller's own transaction (node.transact) is queued at once, not on a reload timer", async () => {
  const t = createTestCluster();
  const s0 = nodeOf(t, "s0");
  s0.transact((tx) => s0.sendApp(tx, "s1", "ballot:e1", { eventId: "e1" }));
  // No timer has run yet: the twin already holds it, and its delivery is the next thing scheduled.
  assert.equal(s0.status().peers.find((p) => p.peer === "s1")?.backlog, 1);
  const next = t.scheduler.peekAtMs();
  assert.equal(next, t.scheduler.nowMs(), "a delivery is due now");
  t.scheduler.next()?.fn();
  assert.equal(s0.status().peers.find((p) => p.peer === "s1")?.inFlight, true, "the first event after the transaction sends it");
  await t.quiesce();
  assert.equal(t.site("s1").store.committedValue("seen:ballot:e1"), 1);
  assert.equal(s0.status().peers.find((p) => p.peer === "s1")?.backlog, 0);
});

test("node: sendApp outside a step of the node is refused and writes nothing", () => {
  const t = createTestCluster();
  const s0 = nodeOf(t, "s0");
  assert.throws(() => t.site("s0").store.transact((tx) => s0.sendApp(tx, "s1", "k", {})), /sendApp outside a step/);
  assert.deepEqual(t.site("s0").store.committedOutbox(), []);
  assert.equal(t.site("s0").node, s0, "a caller's mistake does not stop the node");
});

const unknownCommit = (msgId: string) => ({ v: 1 as const, type: "DECISION" as const, msgId, txId: "s0.ghost", from: "s0", decision: "commit" as const });
const prepareOf = (msgId: string, txId: string, item: string) => ({
  v: 1 as const,
  type: "PREPARE" as const,
  msgId,
  txId,
  from: "s0",
  participants: ["s0", "s1", "s2", "s3"],
  change: appendChange(`k-${item}`, { item, veto: false }),
});

test("node: a poison DECISION (COMMIT of a txn never prepared here) is quarantined; the rest of its group commit goes through and the site stays up", async () => {
  const t = createTestCluster();
  const s1 = nodeOf(t, "s1");
  // Both calls arrive in the same turn: one group commit, which the poison message rolls back.
  const poison = s1.handleSoon("s0", [unknownCommit("m-poison")]);
  const innocent = s1.handleSoon("s0", [prepareOf("m-ok", "s0.ok", "a")]);
  await t.runFor(10);
  assert.deepEqual(await poison, [], "no ACK: nothing was applied");
  assert.deepEqual((await innocent).map((m) => (m.type === "VOTE" ? m.vote : m.type)), ["yes"]);
  assert.equal(t.site("s1").node, s1, "the site is still up");
  assert.deepEqual(t.site("s1").store.committedLogFor("s0.ok").map((r) => r.kind), ["participant.prepared"]);
  const [row] = s1.status().quarantined;
  assert.equal(row?.type, "DECISION");
  assert.equal(row?.txId, "s0.ghost");
  assert.equal(row?.hits, 1);
  assert.match(row?.error ?? "", /never prepared/);

  // After a restart the same message arrives again: it is still quarantined, not a crash loop.
  t.cluster.crash("s1", "test");
  t.cluster.restart("s1");
  const again = nodeOf(t, "s1");
  assert.equal(again.status().quarantined[0]?.msgId, "m-poison", "the record is durable");
  assert.deepEqual(again.handle("s0", [unknownCommit("m-poison")]), []);
  assert.equal(t.site("s1").node, again);
  assert.equal(again.status().quarantined[0]?.hits, 2);
  assert.ok(t.checker.violations.every((v) => v.includes("quarantined DECISION")), t.checker.violations.join("\n"));
  assert.ok(!t.checker.violations.some((v) => v.includes("failed")));
});

test("node: a poison PREPARE is answered NO (quarantined), and its duplicate gets the same NO", async () => {
  const t = createTestCluster();
  const s2 = nodeOf(t, "s2");
  // A log that disagrees with memory (written behind the node's back): the PREPARE trips an invariant.
  t.site("s2").store.transact((tx) =>
    tx.appendLog({ v: 1, kind: "participant.prepared", txId: "s0.bad", coordinator: "s0", participants: ["s0", "s1", "s2", "s3"], change: appendChange("k", { item: "x", veto: false }), info: undefined }),
  );
  const reply = await (async () => {
    const pending = s2.handleSoon("s0", [prepareOf("m-bad", "s0.bad", "x")]);
    await t.runFor(10);
    return pending;
  })();
  assert.equal(t.site("s2").node, s2);
  assert.deepEqual(reply.map((m) => (m.type === "VOTE" ? `${m.vote} ${m.code ?? ""}` : m.type)), ["no quarantined"]);
  assert.deepEqual(s2.handle("s0", [prepareOf("m-bad", "s0.bad", "x")]), reply, "the stored reply");
  assert.equal(s2.status().quarantined.length, 1);
  assert.equal(s2.status().quarantined[0]?.hits, 1, "a duplicate with a stored reply does not run again");
});

test("node: a poison reply (a VOTE whose step throws) is quarantined like a request; its PREPARE stays queued and the site stays up", async () => {
  // The coordinator's step cannot take s2's vote (a bug, not a fault): before, the site exited.
  const t = createTestCluster({
    seams: {
      coordinatorStep: (state, input, config) => {
        if (input.type === "vote" && input.from === "s2") throw new Error("cannot count this vote");
        return coordinatorStep(state, input, config);
      },
    },
  });
  const s0 = nodeOf(t, "s0");
  const txId = s0.begin(appendChange("k-r", { item: "r", veto: false }));
  await t.runFor(5_000);
  assert.equal(t.site("s0").node, s0, "the coordinator is still up");
  const [row] = s0.status().quarantined;
  assert.equal(row?.type, "VOTE");
  assert.equal(row?.from, "s2");
  assert.equal(row?.txId, txId);
  assert.match(row?.error ?? "", /cannot count this vote/);
  // The PREPARE was not taken as answered: it is re-sent, and s2's stored VOTE is quarantined again.
  assert.ok((row?.hits ?? 0) >= 2, `hits ${row?.hits}`);
  assert.equal(s0.outcome(txId).state, "pending");
  // Silence from s2 is never a yes: the prepare timeout aborts it everywhere.
  await t.quiesce();
  assert.equal(s0.outcome(txId).state, "aborted");
  assert.equal(t.site("s0").node, s0);
  assert.ok(t.checker.violations.length > 0 && t.checker.violations.every((v) => v.includes("quarantined VOTE")), t.checker.violations.join("\n"));
});

test("node: the quarantine keeps only the most recently seen messages", async () => {
  const t = createTestCluster({ config: { quarantineKeepRows: 3 } });
  const s1 = nodeOf(t, "s1");
  for (let i = 0; i < 5; i++) {
    assert.deepEqual(s1.handle("s0", [unknownCommit(`m${i}`)]), []);
    await t.runFor(1);
  }
  assert.deepEqual(s1.status().quarantined.map((q) => q.msgId), ["m4", "m3", "m2"]);
  t.cluster.crash("s1", "test");
  t.cluster.restart("s1");
  assert.deepEqual(nodeOf(t, "s1").status().quarantined.map((q) => q.msgId), ["m4", "m3", "m2"]);
});
