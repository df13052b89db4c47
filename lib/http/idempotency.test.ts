// Idempotency-Key handling on a migrated in-memory database: a retried request acts once.
import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { migrate } from "@/lib/db/migrate";
import { AppError } from "@/lib/errors";
import { Idempotency, type Answer } from "./idempotency";

function setup() {
  const db = new Database(":memory:");
  migrate(db);
  let runs = 0;
  const action = (answer: Answer) => async () => {
    runs += 1;
    return answer;
  };
  return { db, idem: new Idempotency(db), action, runs: () => runs };
}

const created: Answer = { status: 201, body: { eventId: "ev_aaaaaaaaaaaa", txId: "s0.x", status: "committed" } };

test("without a key, every request runs", async () => {
  const { idem, action, runs } = setup();
  await idem.run({ header: null, scope: "u:create" }, action(created));
  await idem.run({ header: null, scope: "u:create" }, action(created));
  assert.equal(runs(), 2);
});

test("the same key twice runs once and answers the same", async () => {
  const { idem, action, runs } = setup();
  const first = await idem.run({ header: "key-12345", scope: "u:create" }, action(created));
  const second = await idem.run({ header: "key-12345", scope: "u:create" }, action({ status: 201, body: { eventId: "ev_other" } }));
  assert.equal(runs(), 1);
  assert.deepEqual(second, first);
});

test("two requests with the same key at once run once", async () => {
  const { idem, runs } = setup();
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const slow = async () => {
    calls += 1;
    await gate;
    return created;
  };
  const both = Promise.all([idem.run({ header: "key-12345", scope: "u:create" }, slow), idem.run({ header: "key-12345", scope: "u:create" }, slow)]);
  release();
  const [a, b] = await both;
  assert.equal(calls, 1);
  assert.equal(runs(), 0);
  assert.deepEqual(a, b);
});

test("a refused request is not remembered: the retry runs again", async () => {
  const { idem, action, runs } = setup();
  const refused: Answer = { status: 409, body: { error: { code: "busy", message: "try again" } } };
  assert.deepEqual(await idem.run({ header: "key-12345", scope: "u:photo" }, action(refused)), refused);
  assert.deepEqual(await idem.run({ header: "key-12345", scope: "u:photo" }, action(created)), created);
  assert.equal(runs(), 2);
});

test("a thrown error is not remembered either", async () => {
  const { idem, action, runs } = setup();
  await assert.rejects(
    idem.run({ header: "key-12345", scope: "u:photo" }, async () => {
      throw new AppError("invalid", "bad photo");
    }),
    /bad photo/,
  );
  assert.deepEqual(await idem.run({ header: "key-12345", scope: "u:photo" }, action(created)), created);
  assert.equal(runs(), 1);
});

test("keys are scoped: another person or operation with the same key runs on its own", async () => {
  const { idem, action, runs } = setup();
  await idem.run({ header: "key-12345", scope: "ana:create" }, action(created));
  await idem.run({ header: "key-12345", scope: "ben:create" }, action(created));
  await idem.run({ header: "key-12345", scope: "ana:photo" }, action(created));
  assert.equal(runs(), 3);
});

test("a stored answer is passed through refresh (a pending answer brought up to date)", async () => {
  const { idem, action } = setup();
  const pending: Answer = { status: 202, body: { txId: "s0.x", status: "pending" } };
  await idem.run({ header: "key-12345", scope: "u:create" }, action(pending));
  const refreshed = await idem.run(
    { header: "key-12345", scope: "u:create", refresh: (a) => ({ status: 201, body: { ...(a.body as object), status: "committed" } }) },
    action(created),
  );
  assert.deepEqual(refreshed, { status: 201, body: { txId: "s0.x", status: "committed" } });
});

test("a malformed key is a 400 and runs nothing", async () => {
  const { idem, action, runs } = setup();
  for (const header of ["short", "x".repeat(101), "has space 123", "semi;colon123", "ünïcode-key"]) {
    await assert.rejects(idem.run({ header, scope: "u:create" }, action(created)), (error: unknown) => error instanceof AppError && error.code === "bad_request");
  }
  assert.equal(runs(), 0);
});

test("an answer's unstored part (a secret shown once) reaches the first request but is never written; a replay goes without it", async () => {
  const { db, idem, action, runs } = setup();
  const secret = "adminUrl-secret-token-0123456789";
  const withSecret: Answer = { status: 201, body: { eventId: "ev_aaaaaaaaaaaa", adminUrl: null }, unstored: { adminUrl: secret } };
  const first = await idem.run({ header: "key-secret-1", scope: "u:create" }, action(withSecret));
  assert.deepEqual(first.unstored, { adminUrl: secret });
  const rows = db.prepare(`SELECT body FROM "IdempotentRequest"`).all() as Array<{ body: string }>;
  assert.equal(rows.length, 1);
  assert.ok(!rows[0]!.body.includes(secret), "the stored answer does not hold the secret");
  const replay = await idem.run({ header: "key-secret-1", scope: "u:create" }, action(withSecret));
  assert.equal(runs(), 1);
  assert.deepEqual(replay, { status: 201, body: { eventId: "ev_aaaaaaaaaaaa", adminUrl: null } });
});
