import { test } from "node:test";
import assert from "node:assert/strict";
import { parseMessages } from "./messages";
import { logRecordSchema } from "./log-records";

const prepare = {
  v: 1,
  type: "PREPARE",
  msgId: "m1",
  txId: "s0.t1",
  from: "s0",
  participants: ["s0", "s1"],
  change: { key: "e1", kind: "add-photo", data: { photoId: "p1", bytes: 12 } },
  blobs: ["sha256-abc"],
};

test("wire: every message kind round-trips through JSON and the schema", () => {
  const batch = [
    prepare,
    { v: 1, type: "VOTE", msgId: "m2", re: "m1", txId: "s0.t1", from: "s1", vote: "no", reason: "busy" },
    { v: 1, type: "VOTE", msgId: "m3", re: "m1", txId: "s0.t1", from: "s2", vote: "yes", info: { ballots: ["accept"] } },
    { v: 1, type: "DECISION", msgId: "m4", txId: "s0.t1", from: "s0", decision: "commit", result: { publish: true } },
    { v: 1, type: "ACK", msgId: "m5", re: "m4", txId: "s0.t1", from: "s1" },
    { v: 1, type: "INQUIRY", msgId: "m6", txId: "s0.t1", from: "s1" },
    { v: 1, type: "STATUS", msgId: "m7", re: "m6", txId: "s0.t1", from: "s0", status: "pending" },
    { v: 1, type: "APP", msgId: "m8", txId: "app.1", from: "s0", key: "window:e1", payload: { opensAt: 5 } },
    { v: 1, type: "APP_ACK", msgId: "m9", re: "m8", txId: "app.1", from: "s1" },
  ];
  const parsed = parseMessages(JSON.parse(JSON.stringify(batch)));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.messages, batch);
});

test("wire: malformed bodies are refused with a readable error, never thrown", () => {
  const bad: [string, unknown][] = [
    ["not an array", { ...prepare }],
    ["unknown version", [{ ...prepare, v: 2 }]],
    ["unknown type", [{ ...prepare, type: "COMMIT" }]],
    ["missing txId", [{ ...prepare, txId: undefined }]],
    ["empty participants", [{ ...prepare, participants: [] }]],
    ["bad vote", [{ v: 1, type: "VOTE", msgId: "m", txId: "t", from: "s1", vote: "maybe" }]],
    ["too many messages", Array.from({ length: 257 }, () => prepare)],
  ];
  for (const [name, body] of bad) {
    const parsed = parseMessages(body);
    assert.ok(!parsed.ok, name);
    assert.ok(parsed.error.length > 0, name);
  }
});

test("log records: the schema accepts every kind and refuses an unknown one", () => {
  const records = [
    { v: 1, kind: "participant.prepared", txId: "t", coordinator: "s0", participants: ["s0"], change: prepare.change },
    { v: 1, kind: "participant.committed", txId: "t", result: { index: 3 } },
    { v: 1, kind: "participant.aborted", txId: "t", reason: "r", tombstone: true },
    { v: 1, kind: "coordinator.decided", txId: "t", decision: "abort", participants: [], votes: {}, fenced: true },
    { v: 1, kind: "coordinator.ended", txId: "t" },
  ];
  for (const record of records) assert.ok(logRecordSchema.safeParse(record).success, record.kind);
  assert.ok(!logRecordSchema.safeParse({ v: 1, kind: "coordinator.forgot", txId: "t" }).success);
});
