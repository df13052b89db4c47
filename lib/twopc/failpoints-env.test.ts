import { test } from "node:test";
import assert from "node:assert/strict";
import { FailpointCounter, parseFailpoints } from "./failpoints-env";

test("FAILPOINTS: names with an optional @N; empty means inert", () => {
  const ok = parseFailpoints("participant.after-log-prepare@2, coordinator.after-log-decision");
  assert.ok(ok.ok);
  assert.deepEqual([...ok.plan], [
    ["participant.after-log-prepare", 2],
    ["coordinator.after-log-decision", 1],
  ]);
  for (const empty of [undefined, "", "  "]) {
    const parsed = parseFailpoints(empty);
    assert.ok(parsed.ok && parsed.plan.size === 0);
  }
});

test("FAILPOINTS: unknown names and bad counts are refused", () => {
  for (const bad of ["participant.after-lunch", "participant.after-reply@0", "participant.after-reply@x", "participant.after-reply@1@2"]) {
    assert.equal(parseFailpoints(bad).ok, false, bad);
  }
});

test("FailpointCounter: crashes on exactly the Nth hit of a configured point", () => {
  const parsed = parseFailpoints("participant.after-reply@3");
  assert.ok(parsed.ok);
  const counter = new FailpointCounter(parsed.plan);
  const hits = [1, 2, 3, 4].map(() => counter.shouldCrash("participant.after-reply"));
  assert.deepEqual(hits, [false, false, true, false]);
  assert.equal(counter.shouldCrash("coordinator.after-log-decision"), false);
});

test("failpointsFromEnv: inert when unset, refuses a malformed value at start", async () => {
  const { failpointsFromEnv } = await import("./failpoints-process");
  const { inertFailpoints } = await import("./ports/failpoints");
  assert.equal(failpointsFromEnv(undefined), inertFailpoints);
  assert.equal(failpointsFromEnv(""), inertFailpoints);
  assert.throws(() => failpointsFromEnv("participant.after-lunch"), /FAILPOINTS: unknown failpoint/);
  // A configured point does nothing until its hit comes (the kill itself is for the e2e crash tests).
  failpointsFromEnv("participant.after-reply@1000").hit("participant.after-reply");
});
