import { test } from "node:test";
import assert from "node:assert/strict";
import { MemoryStore } from "./memory-store";
import { committed, prepared } from "./test-support";

const ack = { v: 1 as const, type: "ACK" as const, msgId: "r1", re: "m1", txId: "t", from: "s1" };

test("MemoryStore: a transaction that throws leaves nothing behind", () => {
  const store = new MemoryStore();
  assert.throws(() =>
    store.transact((tx) => {
      tx.appendLog(prepared("t"));
      tx.upsertOutbox({ peer: "s1", key: "k", msg: ack });
      tx.put("x", 1);
      throw new Error("crash before commit");
    }),
  );
  assert.deepEqual(store.committedLog(), []);
  assert.deepEqual(store.committedOutbox(), []);
  assert.equal(store.committedValue("x"), undefined);
});

test("MemoryStore: reads inside a transaction see its own writes; commit makes them durable", () => {
  const store = new MemoryStore();
  store.transact((tx) => {
    tx.appendLog(prepared("t"));
    tx.appendLog(committed("t"));
    assert.deepEqual(tx.logFor("t").map((r) => r.kind), ["participant.prepared", "participant.committed"]);
    tx.upsertOutbox({ peer: "s1", key: "k", msg: ack });
    tx.upsertOutbox({ peer: "s1", key: "k", msg: { ...ack, msgId: "r2" } });
    assert.deepEqual(tx.readOutbox().map((r) => r.msg.msgId), ["r2"]);
    tx.putReceipt("s1", "m1", ack, 10);
    assert.deepEqual(tx.getReceipt("s1", "m1"), ack);
  });
  assert.equal(store.committedLog().length, 2);
  store.transact((tx) => {
    tx.deleteOutbox("s1", "k");
    tx.pruneReceipts(11, 100);
  });
  assert.deepEqual(store.committedOutbox(), []);
  assert.equal(store.transact((tx) => tx.getReceipt("s1", "m1")), undefined);
});

test("MemoryStore: transactions do not nest", () => {
  const store = new MemoryStore();
  assert.throws(() => store.transact(() => store.transact(() => 1)), /nested/);
});
