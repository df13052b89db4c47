import { test } from "node:test";
import assert from "node:assert/strict";
import { sessionAnswer } from "@/lib/api/contract";
import { interpretAnswer } from "./api";

test("a valid answer is typed data", () => {
  const result = interpretAnswer(sessionAnswer, 200, JSON.stringify({ userId: "u1", name: "Mia" }));
  assert.deepEqual(result, { ok: true, status: 200, data: { userId: "u1", name: "Mia" } });
});

test("an error answer carries the server's own code and message", () => {
  const result = interpretAnswer(sessionAnswer, 409, JSON.stringify({ error: { code: "superseded", message: "Version 3 was superseded." } }));
  assert.ok(!result.ok);
  assert.equal(result.error.status, 409);
  assert.equal(result.error.code, "superseded");
  assert.equal(result.error.message, "Version 3 was superseded.");
  assert.equal(result.error.definite, true);
});

test("an error without a JSON body still gets a fitting message", () => {
  const result = interpretAnswer(sessionAnswer, 413, "<html>Request Entity Too Large</html>");
  assert.ok(!result.ok);
  assert.equal(result.error.code, "http_413");
  assert.equal(result.error.message, "This file is too large.");
});

test("a 2xx that breaks the contract is an error, not bad data", () => {
  const original = console.warn;
  console.warn = () => undefined;
  try {
    const result = interpretAnswer(sessionAnswer, 200, JSON.stringify({ userId: 7 }));
    assert.ok(!result.ok);
    assert.equal(result.error.code, "unexpected_answer");
  } finally {
    console.warn = original;
  }
});
