import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { migrate } from "@/lib/db/migrate";
import { openDatabase } from "@/lib/db/open-database";
import { NonceStore } from "./nonce-store";

const nowMs = 1_800_000_000_000;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function open(path = ":memory:") {
  const db = path === ":memory:" ? new Database(path) : openDatabase(path);
  migrate(db);
  return db;
}
function storeOn(db: Database.Database, maxEntries = 1_000) {
  return new NonceStore({ db, transactUnforced: (fn) => db.transaction(fn).immediate(), maxEntries });
}

test("a nonce is fresh once, then replayed; the same nonce from another site is its own", () => {
  const nonces = storeOn(open());
  assert.equal(nonces.remember("s0", "n1", nowMs + 30_000, nowMs), "fresh");
  assert.equal(nonces.remember("s0", "n1", nowMs + 30_000, nowMs + 10), "replayed");
  assert.equal(nonces.remember("s1", "n1", nowMs + 30_000, nowMs), "fresh");
});

test("nonces survive a restart: a new store on the same database file still refuses them", () => {
  const dir = mkdtempSync(join(tmpdir(), "groupshot-nonces-"));
  dirs.push(dir);
  const path = join(dir, "site.db");
  const before = open(path);
  assert.equal(storeOn(before).remember("s0", "captured", nowMs + 30_000, nowMs), "fresh");
  before.close();
  const restarted = storeOn(open(path));
  assert.equal(restarted.remember("s0", "captured", nowMs + 30_000, nowMs + 5_000), "replayed");
});

test("expired nonces are pruned (their timestamps are stale by then), so the table stays at the calls of one window", () => {
  const nonces = storeOn(open());
  for (let i = 0; i < 50; i++) assert.equal(nonces.remember("s0", `old${i}`, nowMs + 30_000, nowMs), "fresh");
  assert.equal(nonces.size(), 50);
  // A second later the pruning runs, but nothing has expired yet.
  assert.equal(nonces.remember("s0", "mid", nowMs + 31_000, nowMs + 1_000), "fresh");
  assert.equal(nonces.size(), 51);
  // Past their expiry the old ones go on the next call.
  assert.equal(nonces.remember("s0", "new", nowMs + 61_000, nowMs + 30_500), "fresh");
  assert.equal(nonces.size(), 2);
});

test("at its bound the store refuses a new nonce rather than forget a live one", () => {
  const nonces = storeOn(open(), 3);
  for (const n of ["a", "b", "c"]) assert.equal(nonces.remember("s0", n, nowMs + 30_000, nowMs), "fresh");
  assert.equal(nonces.remember("s0", "d", nowMs + 30_000, nowMs), "full");
  assert.equal(nonces.remember("s0", "a", nowMs + 30_000, nowMs), "full", "and a full store never takes a replay either");
  // Once the live ones expire there is room again.
  assert.equal(nonces.remember("s0", "d", nowMs + 60_001, nowMs + 30_001), "fresh");
  assert.equal(nonces.size(), 1);
});
