import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { AppError, badRequest } from "@/lib/errors";
import { TwoPcError } from "@/lib/twopc/errors";
import { errorResponse } from "./error-response";
import { appErrorOf } from "./site-error";

test("site errors: what the engine raises is a 503 with Retry-After, never a 500", async () => {
  for (const [code, expected] of [
    ["overloaded", "overloaded"],
    ["stopped", "engine_unavailable"],
    ["not-started", "engine_unavailable"],
    ["invariant", "engine_unavailable"],
  ] as const) {
    const error = appErrorOf(new TwoPcError(code, `engine says ${code}`, { definite: true }));
    assert.ok(error instanceof AppError);
    assert.equal(error.code, expected);
    const response = errorResponse(error);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get("retry-after"), "2");
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, expected);
    assert.doesNotMatch(body.error.message, /engine says/, "the engine's own words stay in the log");
  }
});

test("site errors: a busy or full database is a 503; a constraint or a bug stays what it is", () => {
  for (const code of ["SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_IOERR_FSYNC", "SQLITE_READONLY"]) {
    const error = appErrorOf(new Database.SqliteError("database is busy", code));
    assert.ok(error instanceof AppError && error.code === "storage_unavailable", code);
  }
  const constraint = new Database.SqliteError("UNIQUE constraint failed", "SQLITE_CONSTRAINT_UNIQUE");
  assert.equal(appErrorOf(constraint), constraint);
  const bug = new TypeError("x is undefined");
  assert.equal(appErrorOf(bug), bug);
  assert.equal(errorResponse(bug, () => {}).status, 500);
  const refusal = badRequest("no");
  assert.equal(appErrorOf(refusal), refusal);
});

test("site errors: Retry-After on every 503 and 429, from the error's details when it names one, and on nothing else", () => {
  assert.equal(errorResponse(new AppError("uploads_busy", "busy", { details: { retryAfterSeconds: 7 } })).headers.get("retry-after"), "7");
  assert.equal(errorResponse(new AppError("starting", "starting")).headers.get("retry-after"), "1");
  assert.equal(errorResponse(new AppError("too_many_streams", "many")).headers.get("retry-after"), "5");
  assert.equal(errorResponse(badRequest("no")).headers.get("retry-after"), null);
  assert.equal(errorResponse(new AppError("busy", "a change is being committed")).headers.get("retry-after"), null);
});
