// The seeded simulation of the real product inside the unit suite: schedules of four sites with
// the product's domain, round step and ballot casting over the engine, loss, duplication,
// reordering, two- and one-way partitions, duplicated and stale replies, skewed and jumping
// clocks, crashes, power loss and disk errors; SPEC §4.1–4.8 checked after every step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runProductSchedule } from "./product-schedule";
import { runProductRangeInWorkers } from "./run-product-seeds";

const SCHEDULES = 2_000;

test(`product simulation: ${SCHEDULES} seeded schedules keep every guarantee`, async () => {
  const result = await runProductRangeInWorkers({ from: 1, count: SCHEDULES }, 2);
  const failure = result.failure;
  assert.equal(
    failure,
    undefined,
    failure && `seed ${failure.seed}: ${failure.violations.join("; ")} (replay: npm run simulate -- --from ${failure.seed} --seeds 1 --trace)`,
  );
  assert.equal(result.ran, SCHEDULES);
  // The schedules must exercise both outcomes, or they prove little.
  assert.ok(result.committed > SCHEDULES, `only ${result.committed} commits`);
  assert.ok(result.aborted > SCHEDULES, `only ${result.aborted} aborts`);
});

test("product simulation: a seed replays identically, transcript included", async () => {
  const first = await runProductSchedule({ seed: 4242, trace: true });
  const again = await runProductSchedule({ seed: 4242, trace: true });
  assert.ok(first.trace.length > 20);
  assert.deepEqual(again.trace, first.trace);
  assert.deepEqual(again.stats, first.stats);
});
