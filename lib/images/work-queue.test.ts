import { test } from "node:test";
import assert from "node:assert/strict";
import { WorkQueue } from "./work-queue";

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("never runs more than `concurrency` jobs, and hands slots over in arrival order", async () => {
  const queue = new WorkQueue({ concurrency: 2, capacity: 6 });
  const gates = Array.from({ length: 5 }, deferred);
  const started: number[] = [];
  let running = 0;
  let most = 0;
  const jobs = gates.map((gate, i) => {
    const place = queue.enter();
    assert.ok(place);
    return place
      .run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        try {
          await gate.promise;
        } finally {
          running--;
        }
        return i;
      })
      .finally(() => place.leave());
  });
  const settled = Promise.allSettled(jobs);
  await tick();
  assert.deepEqual(started, [0, 1]);
  assert.equal(queue.active, 2);
  gates[1]?.resolve();
  await tick();
  assert.deepEqual(started, [0, 1, 2]);
  gates[0]?.reject(new Error("job 0 fails")); // a failing job frees its slot too
  await tick();
  assert.deepEqual(started, [0, 1, 2, 3]);
  gates.forEach((g) => g.resolve());
  const results = await settled;
  assert.deepEqual(results.map((r) => r.status), ["rejected", "fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
  assert.equal(most, 2);
  assert.equal(queue.active, 0);
  assert.equal(queue.size, 0);
});

test("refuses a place beyond `capacity` at once, and takes one again after someone left", () => {
  const queue = new WorkQueue({ concurrency: 1, capacity: 3 });
  const places = [queue.enter(), queue.enter(), queue.enter()];
  assert.ok(places.every((p) => p !== null));
  assert.equal(queue.enter(), null);
  places[0]?.leave();
  places[0]?.leave(); // idempotent: frees one place only
  assert.equal(queue.size, 2);
  assert.ok(queue.enter());
  assert.equal(queue.enter(), null);
});

test("a place that left cannot run work; bad sizes are refused", async () => {
  const queue = new WorkQueue({ concurrency: 1, capacity: 1 });
  const place = queue.enter();
  place?.leave();
  await assert.rejects(place?.run(() => Promise.resolve(1)) ?? Promise.resolve(), /has left/);
  assert.throws(() => new WorkQueue({ concurrency: 0, capacity: 1 }), RangeError);
  assert.throws(() => new WorkQueue({ concurrency: 2, capacity: 1 }), RangeError);
});
