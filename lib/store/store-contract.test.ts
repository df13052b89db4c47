// The engine's Store port held to one contract: the same cases against SqliteStore (a migrated
// in-memory database) and its in-memory twin, MemoryStore, which the simulator runs on.
import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { migrate } from "@/lib/db/migrate";
import { MemoryStore } from "@/lib/twopc/memory-store";
import type { Store, StoreTx } from "@/lib/twopc/ports/store";
import { aborted, committed, decided, ended, fenced, prepared } from "@/lib/twopc/test-support";
import { SqliteStore } from "./sqlite-store";

const ack = (msgId: string) => ({ v: 1 as const, type: "ACK" as const, msgId, re: "m1", txId: "t", from: "s1" });

const stores: Record<string, () => Store<StoreTx>> = {
  SqliteStore: () => {
    const db = new Database(":memory:");
    migrate(db);
    return new SqliteStore(db, () => 1_000);
  },
  MemoryStore: () => new MemoryStore(),
};

for (const [name, open] of Object.entries(stores)) {
  test(`${name}: the log is read back in append order per txn; recovery reads only the unsettled txns`, () => {
    const store = open();
    store.transact((tx) => {
      tx.appendLog(prepared("t1"));
      tx.appendLog(prepared("t2"));
      tx.appendLog(committed("t1"));
      tx.appendLog(decided("t3", "commit"));
      tx.appendLog(decided("t4", "abort"));
      tx.appendLog(ended("t4"));
      tx.appendLog(fenced("t5"));
      tx.appendLog(aborted("t6", true));
    });
    store.transact((tx) => {
      assert.deepEqual(tx.logFor("t1").map((r) => r.kind), ["participant.prepared", "participant.committed"]);
      assert.deepEqual(tx.readUnsettledLog().map((r) => `${r.txId} ${r.kind}`), ["t2 participant.prepared", "t3 coordinator.decided"]);
    });
    store.transact((tx) => tx.appendLog(aborted("t2", false)));
    store.transact((tx) => assert.deepEqual(tx.readUnsettledLog().map((r) => r.txId), ["t3"], "settled by its abort"));
  });

  test(`${name}: pruning forgets whole txns, raises the horizon, and the high-water mark never goes down`, () => {
    const store = open();
    assert.equal(store.transact((tx) => tx.logHighWater()), 0);
    store.transact((tx) => {
      tx.appendLog(prepared("t1"));
      tx.appendLog(prepared("t2"));
      tx.appendLog(committed("t1"));
    });
    store.transact((tx) => {
      assert.equal(tx.logHighWater(), 3);
      assert.deepEqual(tx.scanLog(0, 3, 2), { txIds: ["t1", "t2"], lastSeq: 2 });
      assert.deepEqual(tx.scanLog(2, 3, 10), { txIds: ["t1"], lastSeq: 3 });
      assert.deepEqual(tx.scanLog(3, 3, 10), { txIds: [], lastSeq: undefined });
      assert.equal(tx.logTail("t1")?.seq, 3);
      assert.equal(tx.prunedUpTo(), 0);
    });
    store.transact((tx) => tx.forgetLog(["t1"], 3));
    store.transact((tx) => {
      assert.deepEqual(tx.logFor("t1"), []);
      assert.equal(tx.logTail("t1"), undefined);
      assert.deepEqual(tx.logFor("t2").map((r) => r.kind), ["participant.prepared"]);
      assert.equal(tx.prunedUpTo(), 3);
      assert.equal(tx.logHighWater(), 3, "the newest record is gone, the mark stays");
      assert.deepEqual(tx.scanLog(0, 3, 10).txIds, ["t2"]);
    });
    store.transact((tx) => tx.forgetLog([], 2));
    store.transact((tx) => assert.equal(tx.prunedUpTo(), 3, "the horizon never goes down"));
    store.transact((tx) => tx.appendLog(committed("t2")));
    store.transact((tx) => assert.equal(tx.logTail("t2")?.seq, 4, "a seq is never reused"));
  });

  test(`${name}: a transaction that throws leaves nothing behind`, () => {
    const store = open();
    assert.throws(() =>
      store.transact((tx) => {
        tx.appendLog(prepared("t1"));
        tx.upsertOutbox({ peer: "s1", key: "k", msg: ack("r1") });
        throw new Error("disk full");
      }),
    );
    store.transact((tx) => {
      assert.deepEqual(tx.readUnsettledLog(), []);
      assert.deepEqual(tx.readOutbox(), []);
    });
  });

  test(`${name}: an outbox slot holds one message; a delete by an older message id keeps the newer one`, () => {
    const store = open();
    store.transact((tx) => tx.upsertOutbox({ peer: "s1", key: "k", msg: ack("r1") }));
    store.transact((tx) => tx.upsertOutbox({ peer: "s1", key: "k", msg: ack("r2") }));
    store.transact((tx) => {
      assert.deepEqual(tx.readOutbox().map((r) => r.msg.msgId), ["r2"], "replaced in its slot");
      tx.deleteOutbox("s1", "k", "r1"); // the reply to the older message arrives late
    });
    store.transact((tx) => assert.deepEqual(tx.readOutbox().map((r) => r.msg.msgId), ["r2"], "the newer message is still to be sent"));
    store.transact((tx) => tx.deleteOutbox("s1", "k", "r2"));
    store.transact((tx) => assert.deepEqual(tx.readOutbox(), []));
    store.transact((tx) => tx.upsertOutbox({ peer: "s1", key: "k", msg: ack("r3") }));
    store.transact((tx) => tx.deleteOutbox("s1", "k"));
    store.transact((tx) => assert.deepEqual(tx.readOutbox(), [], "without an id the slot is emptied"));
  });

  test(`${name}: receipts are kept until pruned`, () => {
    const store = open();
    store.transact((tx) => tx.putReceipt("s1", "m1", ack("r1"), 10));
    store.transact((tx) => assert.deepEqual(tx.getReceipt("s1", "m1"), ack("r1")));
    store.transact((tx) => tx.pruneReceipts(11, 100));
    store.transact((tx) => assert.equal(tx.getReceipt("s1", "m1"), undefined));
  });

  test(`${name}: receipts beyond the bound go, the newest stay`, () => {
    const store = open();
    for (const [i, atMs] of [30, 10, 20, 40].entries()) store.transact((tx) => tx.putReceipt("s1", `m${i}`, ack(`r${i}`), atMs));
    store.transact((tx) => tx.pruneReceipts(0, 2));
    store.transact((tx) => {
      assert.deepEqual(["m0", "m1", "m2", "m3"].filter((id) => tx.getReceipt("s1", id) !== undefined), ["m0", "m3"]);
    });
  });

  test(`${name}: the quarantine keeps one row per message, counts repeats, and only the most recently seen`, () => {
    const store = open();
    const poison = (msgId: string) => ({ v: 1 as const, type: "DECISION" as const, msgId, txId: `t-${msgId}`, from: "s0", decision: "commit" as const });
    store.transact((tx) => tx.quarantine({ from: "s0", msg: poison("a"), error: "boom", atMs: 10 }, 2));
    store.transact((tx) => tx.quarantine({ from: "s0", msg: poison("b"), error: "boom", atMs: 20 }, 2));
    store.transact((tx) => tx.quarantine({ from: "s0", msg: poison("a"), error: "boom again", atMs: 30 }, 2));
    store.transact((tx) => {
      const rows = tx.readQuarantine();
      assert.deepEqual(rows.map((r) => `${r.msgId} ${r.hits} ${r.firstAtMs}-${r.lastAtMs} ${r.error}`), ["a 2 10-30 boom again", "b 1 20-20 boom"]);
      assert.deepEqual(rows[0]?.msg, poison("a"));
      assert.equal(rows[0]?.type, "DECISION");
      assert.equal(rows[0]?.txId, "t-a");
    });
    store.transact((tx) => tx.quarantine({ from: "s1", msg: poison("c"), error: "x", atMs: 40 }, 2));
    store.transact((tx) => assert.deepEqual(tx.readQuarantine().map((r) => `${r.from} ${r.msgId}`), ["s1 c", "s0 a"], "the least recently seen went"));
  });
}
