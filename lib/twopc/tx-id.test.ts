import { test } from "node:test";
import assert from "node:assert/strict";
import { mayBeForgotten, mintMarkOf, mintTxId } from "./tx-id";

test("a txn id carries the log mark it was minted at, in a UUID's shape", () => {
  const txId = mintTxId("s1", 123_456, "0d9f4a8e-8f3c-4b7e-9a1d-5c2e6f7a8b9c");
  assert.match(txId, /^s1\.[0-9a-f-]{36}$/);
  assert.equal(mintMarkOf(txId), 123_456);
  assert.notEqual(mintTxId("s1", 7, "n1"), mintTxId("s1", 7, "n2"), "the unique part keeps ids apart");
  assert.equal(mintMarkOf(mintTxId("s0", 0, "n42")), 0);
  assert.equal(mintMarkOf("s1.0d9f4a8e-8f3c-4b7e-9a1d-5c2e6f7a8b9c"), undefined, "a plain v4 id has no mark");
});

test("only a txn minted below the pruning horizon may have been forgotten", () => {
  const txId = mintTxId("s1", 50, "n1");
  assert.equal(mayBeForgotten(txId, 0), false);
  assert.equal(mayBeForgotten(txId, 50), false);
  assert.equal(mayBeForgotten(txId, 51), true);
  assert.equal(mayBeForgotten("s1.0d9f4a8e-8f3c-4b7e-9a1d-5c2e6f7a8b9c", 1), true, "an id without a mark counts as minted at 0");
});
