import { test } from "node:test";
import assert from "node:assert/strict";
import { retryDelayMs } from "./backoff";

test("retry delay: doubles per attempt from the base, capped, with half of it jittered", () => {
  const at = (attempt: number, random01: number) => retryDelayMs(attempt, { baseMs: 100, maxMs: 1_000, random01 });
  assert.deepEqual([1, 2, 3, 4, 5, 20].map((a) => at(a, 0)), [50, 100, 200, 400, 500, 500]);
  assert.deepEqual([1, 2, 3, 4, 5, 20].map((a) => at(a, 0.999999)), [100, 200, 400, 800, 1_000, 1_000]);
});
