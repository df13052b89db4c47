// The seeded simulation inside the unit suite: 10,000 schedules of four sites with loss,
// duplication, reordering, partitions, clock jumps and crashes at any step and at every failpoint.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runRangeInWorkers } from "./run-seeds";
import { runSchedule } from "./schedule";

const SCHEDULES = 10_000;

test(`simulation: ${SCHEDULES} seeded schedules keep every guarantee`, async () => {
  const result = await runRangeInWorkers({ from: 1, count: SCHEDULES }, 2);
  const failure = result.failure;
  assert.equal(
    failure,
    undefined,
    failure && `seed ${failure.seed}: ${failure.violations.join("; ")} (replay: npm run simulate -- --from ${failure.seed} --seeds 1 --trace)`,
  );
  assert.equal(result.ran, SCHEDULES);
  // The schedules must exercise both outcomes, or they prove little.
  assert.ok(result.committed > SCHEDULES / 2, `only ${result.committed} commits`);
  assert.ok(result.aborted > SCHEDULES / 2, `only ${result.aborted} aborts`);
});

test("simulation: a seed replays identically, transcript included", async () => {
  const first = await runSchedule({ seed: 4242, trace: true });
  const again = await runSchedule({ seed: 4242, trace: true });
  assert.ok(first.trace.length > 20);
  assert.deepEqual(again.trace, first.trace);
  assert.deepEqual(again.stats, first.stats);
});
