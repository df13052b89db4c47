import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { AppError, badRequest } from "./errors";

test("an AppError from another copy of this module (another Next.js bundle) is still an AppError", async () => {
  // A second instance of the module, as instrumentation's bundle holds beside each route's.
  const dir = mkdtempSync(join(tmpdir(), "groupshot-errors-"));
  copyFileSync(join(import.meta.dirname, "errors.ts"), join(dir, "errors.ts"));
  const copy = (await import(pathToFileURL(join(dir, "errors.ts")).href)) as typeof import("./errors");
  rmSync(dir, { recursive: true, force: true });
  assert.notEqual(copy.AppError, AppError);
  const foreign = copy.badRequest("from the other bundle");
  assert.ok(foreign instanceof AppError);
  assert.equal(foreign.code, "bad_request");
  assert.ok(badRequest("here") instanceof copy.AppError);
  assert.ok(!(new Error("plain") instanceof AppError));
  assert.ok(!((null as unknown) instanceof AppError));
  assert.ok(!({ code: "bad_request" } instanceof AppError));
});
