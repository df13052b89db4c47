import { test } from "node:test";
import assert from "node:assert/strict";
import type { Message } from "./messages";
import { Outbox, type DispatchOutcome, type OutboxEntry } from "./outbox";

/** Manual timers: the test decides when time passes. */
function manualTime() {
  let nowMs = 0;
  const due: { atMs: number; fn: () => void; cancelled: boolean }[] = [];
  return {
    clock: { nowMs: () => nowMs },
    timers: {
      set(delayMs: number, fn: () => void) {
        const t = { atMs: nowMs + delayMs, fn, cancelled: false };
        due.push(t);
        return () => {
          t.cancelled = true;
        };
      },
    },
    advance(ms: number) {
      nowMs += ms;
      for (;;) {
        const next = due.filter((t) => !t.cancelled && t.atMs <= nowMs).sort((a, b) => a.atMs - b.atMs)[0];
        if (!next) return;
        next.cancelled = true;
        next.fn();
      }
    },
  };
}

function entry(peer: string, key: string, msgId: string): OutboxEntry {
  const msg: Message = { v: 1, type: "INQUIRY", msgId, txId: key, from: "s0" };
  return { peer, key, msg, durable: true };
}

function setUp(batchSize: number, maxCalls = 1) {
  const time = manualTime();
  const calls: { peer: string; keys: string[]; done: (o: DispatchOutcome) => void }[] = [];
  const outbox = new Outbox({
    clock: time.clock,
    timers: time.timers,
    random: { next: () => 0.5, uuid: () => "u" },
    batchSize,
    maxCalls,
    retryBaseDelayMs: 100,
    retryMaxDelayMs: 400,
    dispatch: (peer, batch, done) => calls.push({ peer, keys: batch.map((e) => e.key), done }),
    guard: (fn) => fn,
  });
  return { time, calls, outbox };
}

test("outbox: batches per peer, one call in flight, the rest next", () => {
  const { time, calls, outbox } = setUp(2);
  for (const key of ["a", "b", "c"]) outbox.apply({ op: "put", entry: entry("s1", key, `m-${key}`) });
  outbox.kick("s1");
  outbox.kick("s1");
  time.advance(0);
  assert.deepEqual(calls.map((c) => c.keys), [["a", "b"]]);
  // The peer answered a and b: they leave their slots, then the lane goes on with c.
  outbox.apply({ op: "delete", peer: "s1", key: "a", ifMsgId: "m-a" });
  outbox.apply({ op: "delete", peer: "s1", key: "b", ifMsgId: "m-b" });
  calls[0]?.done({ ok: true });
  time.advance(0);
  assert.deepEqual(calls.map((c) => c.keys), [["a", "b"], ["c"]]);
});

test("outbox: a failed call backs off exponentially (jittered, capped), and success resets it", () => {
  const { time, calls, outbox } = setUp(8);
  outbox.apply({ op: "put", entry: entry("s2", "a", "m1") });
  outbox.kick("s2");
  time.advance(0);
  const attemptTimes: number[] = [];
  for (let i = 0; i < 4; i++) {
    attemptTimes.push(time.clock.nowMs());
    calls.at(-1)?.done({ ok: false, error: "down" });
    const before = calls.length;
    while (calls.length === before) time.advance(1);
  }
  // Equal jitter with random 0.5: 75% of 100, 200, 400, 400 (capped).
  assert.deepEqual(attemptTimes.slice(1).map((t, i) => t - (attemptTimes[i] ?? 0)), [75, 150, 300]);
  assert.equal(outbox.status()[0]?.attempt, 4);
  outbox.apply({ op: "delete", peer: "s2", key: "a", ifMsgId: "m1" });
  calls.at(-1)?.done({ ok: true });
  assert.deepEqual(outbox.status()[0], {
    peer: "s2", backlog: 0, inFlight: false, attempt: 0, nextAttemptAtMs: undefined, lastSuccessAtMs: time.clock.nowMs(), lastError: undefined,
  });
});

test("outbox: a newer message replaces its slot; an answer to the older one does not remove the newer", () => {
  const { outbox } = setUp(8);
  outbox.apply({ op: "put", entry: entry("s1", "tx:1", "prepare") });
  outbox.apply({ op: "put", entry: entry("s1", "tx:1", "decision") });
  outbox.apply({ op: "delete", peer: "s1", key: "tx:1", ifMsgId: "prepare" });
  assert.equal(outbox.get("s1", "tx:1")?.msg.msgId, "decision");
  assert.equal(outbox.backlog("s1"), 1);
});

test("outbox: an unanswered message counts as a failure (no hot loop on a peer that ignores it)", () => {
  const { time, calls, outbox } = setUp(8);
  outbox.apply({ op: "put", entry: entry("s1", "a", "m1") });
  outbox.kick("s1");
  time.advance(0);
  calls[0]?.done({ ok: true });
  assert.equal(outbox.status()[0]?.attempt, 1);
  assert.equal(outbox.status()[0]?.lastError, "some messages were not answered");
});

test("outbox: retryNow skips the backoff of a peer that is back, and leaves a call in flight alone", () => {
  const { time, calls, outbox } = setUp(8);
  outbox.apply({ op: "put", entry: entry("s3", "a", "m1") });
  outbox.kick("s3");
  time.advance(0);
  outbox.retryNow("s3"); // in flight: nothing happens
  time.advance(0);
  assert.equal(calls.length, 1);
  for (let i = 0; i < 5; i++) {
    calls.at(-1)?.done({ ok: false, error: "down" });
    const made: number = calls.length;
    while (calls.length === made) time.advance(1);
  }
  calls.at(-1)?.done({ ok: false, error: "down" });
  const backoff = outbox.status()[0];
  assert.ok(backoff?.nextAttemptAtMs !== undefined && backoff.nextAttemptAtMs - time.clock.nowMs() >= 200, "a long backoff is pending");
  const before = calls.length;
  outbox.retryNow("s3");
  time.advance(0);
  assert.equal(calls.length, before + 1, "delivered at once");
  assert.equal(outbox.status()[0]?.attempt, 0);
  // Backoff starts over from the base, and the cancelled timer fires no extra call.
  calls.at(-1)?.done({ ok: false, error: "down" });
  time.advance(1_000);
  assert.equal(calls.length, before + 2);
  outbox.retryNow("nobody"); // unknown peer: no lane, no call
});

test("outbox: up to maxCalls calls per peer, each with messages not already on the way", () => {
  const { time, calls, outbox } = setUp(2, 2);
  outbox.apply({ op: "put", entry: entry("s1", "decision:1", "d1") });
  outbox.kick("s1");
  time.advance(0);
  assert.deepEqual(calls.map((c) => c.keys), [["decision:1"]]);
  // A PREPARE of another txn does not wait for the DECISION's call to return.
  outbox.apply({ op: "put", entry: entry("s1", "prepare:2", "p2") });
  outbox.kick("s1");
  time.advance(0);
  assert.deepEqual(calls.map((c) => c.keys), [["decision:1"], ["prepare:2"]]);
  // Both slots taken: more messages wait, then go together when a call returns.
  for (const key of ["a", "b", "c"]) outbox.apply({ op: "put", entry: entry("s1", key, `m-${key}`) });
  outbox.kick("s1");
  time.advance(0);
  assert.equal(calls.length, 2);
  assert.equal(outbox.status()[0]?.inFlight, true);
  outbox.apply({ op: "delete", peer: "s1", key: "decision:1", ifMsgId: "d1" });
  calls[0]?.done({ ok: true });
  time.advance(0);
  // The rest goes out in parallel calls of at most batchSize, never re-sending what is on the way.
  assert.deepEqual(calls.slice(2).map((c) => c.keys), [["a", "b"]]);
  outbox.apply({ op: "delete", peer: "s1", key: "prepare:2", ifMsgId: "p2" });
  calls[1]?.done({ ok: true });
  time.advance(0);
  assert.deepEqual(calls.slice(2).map((c) => c.keys), [["a", "b"], ["c"]]);
  // A newer message in a slot whose older message is on the way may go beside it.
  outbox.apply({ op: "put", entry: entry("s1", "a", "m-a2") });
  calls[3]?.done({ ok: false, error: "down" }); // c failed: backoff, and nothing goes before it
  time.advance(0);
  assert.equal(calls.length, 4);
  outbox.apply({ op: "delete", peer: "s1", key: "b", ifMsgId: "m-b" });
  // The call with a and b returns: the peer answers, so what waits (a's newer message, and c
  // despite its backoff) goes now.
  calls[2]?.done({ ok: true });
  time.advance(0);
  assert.deepEqual(calls.slice(4).map((c) => c.keys), [["a", "c"]]);
  assert.equal(calls[4] && outbox.get("s1", "a")?.msg.msgId, "m-a2");
});
