import { test } from "node:test";
import assert from "node:assert/strict";
import type { Change } from "@/lib/twopc/types";
import type { Outcome } from "@/lib/twopc/outcome";
import { AppError } from "@/lib/errors";
import { createEventData } from "@/lib/product/changes";
import { BENCH_CREATOR, benchCreateEvent, type BenchEnginePort } from "./bench-create-event";

function fakeEngine(state: Outcome["state"]): BenchEnginePort & { begun: Change[]; waits: Array<[string, number]> } {
  const begun: Change[] = [];
  const waits: Array<[string, number]> = [];
  return {
    begun,
    waits,
    begin: (change) => {
      begun.push(change);
      return `s2.tx-${begun.length}`;
    },
    waitForOutcome: (txId, timeoutMs) => {
      waits.push([txId, timeoutMs]);
      return Promise.resolve({ txId, state, view: "coordinator", sites: {} } satisfies Outcome);
    },
  };
}

test("begins a create-event keyed by a new event id, homed here, and waits up to decideWaitMs", async () => {
  const engine = fakeEngine("committed");
  const answer = await benchCreateEvent({ siteId: "s2", decideWaitMs: 1234, engine, body: { title: "bench #1" } });
  assert.equal(engine.begun.length, 1);
  const change = engine.begun[0] as Change;
  assert.equal(change.kind, "create-event");
  const data = createEventData.parse(change.data);
  assert.equal(change.key, data.eventId);
  assert.equal(data.homeSite, "s2");
  assert.equal(data.title, "bench #1");
  assert.equal(data.creatorId, BENCH_CREATOR.creatorId);
  assert.deepEqual(engine.waits, [["s2.tx-1", 1234]]);
  assert.deepEqual(answer, { txId: "s2.tx-1", eventId: data.eventId, state: "committed" });
});

test("an unknown outcome is reported aborted, a pending one pending", async () => {
  assert.equal((await benchCreateEvent({ siteId: "s0", decideWaitMs: 1, engine: fakeEngine("unknown"), body: { title: "t" } })).state, "aborted");
  assert.equal((await benchCreateEvent({ siteId: "s0", decideWaitMs: 1, engine: fakeEngine("pending"), body: { title: "t" } })).state, "pending");
});

for (const body of [{}, { title: "" }, { title: "x".repeat(81) }, "title", null]) {
  test(`a bad body is refused with bad_request and begins nothing: ${JSON.stringify(body)}`, async () => {
    const engine = fakeEngine("committed");
    await assert.rejects(benchCreateEvent({ siteId: "s0", decideWaitMs: 1, engine, body }), (error: unknown) => error instanceof AppError && error.code === "bad_request");
    assert.equal(engine.begun.length, 0);
  });
}
