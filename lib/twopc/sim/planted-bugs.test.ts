// Proof that the checker bites: each bug, planted through a test-only seam, is found within a
// bounded number of seeds, and the violation names what went wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PLANTED_BUGS, type PlantedBug } from "./planted-bugs";
import { runRange } from "./run-seeds";

const MAX_SEEDS = 300;

/** What the first violation must look like for each bug (the checker's words, or the runtime's invariant). */
const EXPECTED: Record<PlantedBug, RegExp> = {
  "decision-before-durable": /commit .* but abort|abort .* but commit|that this site committed|that this site aborted/,
  "inquiry-without-fencing": /commit .* but abort|abort .* but commit|that this site committed|that this site aborted/,
  "yes-before-durable": /has no durable YES|never prepared|key .* held by/,
  "unreachable-counts-as-yes": /has no durable YES|never prepared/,
  "duplicate-commit-reapplies": /applied 2 times/,
  "reply-before-fsync": /never prepared|has no durable YES|committed but/,
};

for (const bug of PLANTED_BUGS) {
  test(`planted bug "${bug}" is found within ${MAX_SEEDS} seeds`, async () => {
    const result = await runRange({ from: 1, count: MAX_SEEDS, plantedBug: bug });
    const failure = result.failure ?? assert.fail(`no violation in ${MAX_SEEDS} seeds`);
    const first = failure.violations[0] ?? "";
    assert.match(first, EXPECTED[bug], `seed ${failure.seed}: ${first}`);
  });
}
