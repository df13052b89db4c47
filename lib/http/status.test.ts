import { test } from "node:test";
import assert from "node:assert/strict";
import { IMAGE_CODES, OUTCOME_CODES, REFUSAL_CODES, REQUEST_CODES, SITE_CODES, type ErrorCode } from "@/lib/errors";
import { errorCodeToHttpStatus, httpStatusOf } from "./status";

const every: ErrorCode[] = [...REQUEST_CODES, ...REFUSAL_CODES, ...OUTCOME_CODES, ...IMAGE_CODES, ...SITE_CODES];

test("status: every code has exactly one status, and the table has no code that is not in the lists", () => {
  assert.deepEqual(Object.keys(errorCodeToHttpStatus).sort(), [...new Set(every)].sort());
});

test("status: nothing a client can cause is a 5xx except the 'this site cannot now' codes", () => {
  const fivexx = every.filter((code) => httpStatusOf(code) >= 500).sort();
  assert.deepEqual(fivexx, ["engine_unavailable", "internal", "overloaded", "starting", "storage_unavailable", "uploads_busy"]);
  for (const code of [...REFUSAL_CODES, ...IMAGE_CODES, ...OUTCOME_CODES]) {
    assert.ok(httpStatusOf(code) >= 400 && httpStatusOf(code) < 500, `${code} is a 4xx`);
  }
});

test("status: the image codes keep the statuses the API promises", () => {
  assert.deepEqual(
    IMAGE_CODES.map((code) => [code, httpStatusOf(code)]),
    [
      ["image_too_large", 413],
      ["image_type_unsupported", 415],
      ["image_video_unsupported", 415],
      ["image_undecodable", 422],
      ["image_too_many_pixels", 422],
      ["image_too_small", 422],
    ],
  );
});
