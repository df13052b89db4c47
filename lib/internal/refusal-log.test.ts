import { test } from "node:test";
import assert from "node:assert/strict";
import { RefusalLog } from "./refusal-log";

function recorder() {
  const lines: Array<{ fields: Record<string, unknown>; msg: string }> = [];
  return { lines, log: { warn: (fields: Record<string, unknown>, msg: string) => void lines.push({ fields, msg }) } };
}

test("a flood of refusals is one line at once and one line per sender per interval with the count by reason", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { lines, log } = recorder();
  const counted: string[] = [];
  const refusals = new RefusalLog({ log, knownSites: new Set(["s0"]), intervalMs: 10_000, onRefused: (sender, reason) => counted.push(`${sender}:${reason}`) });
  for (let i = 0; i < 1_000; i++) refusals.refused({ claimedSender: `forged-${i}`, reason: "unknown site", path: "/api/internal/blobs/x", address: "127.0.0.1" });
  for (let i = 0; i < 10; i++) refusals.refused({ claimedSender: undefined, reason: "unsigned request", path: "/api/internal/ping", address: "127.0.0.1" });
  refusals.refused({ claimedSender: "s0", reason: "replayed request", path: "/api/internal/ping", address: "127.0.0.1" });
  assert.deepEqual(lines.map((l) => [l.fields.sender, l.msg]), [
    ["unknown", "internal call refused"],
    ["s0", "internal call refused"],
  ]);
  assert.equal(counted.length, 1_011, "every refusal is counted (metrics), whatever is logged");
  assert.equal(new Set(counted.map((c) => c.split(":")[0])).size, 2, "senders a caller makes up are one sender, unknown");

  t.mock.timers.tick(10_000);
  assert.equal(lines.length, 3, "one summary for unknown; s0 had nothing more");
  assert.equal(lines[2]?.msg, "internal calls refused: 1009 more in 10 s");
  assert.deepEqual(lines[2]?.fields.reasons, { "unknown site": 999, "unsigned request": 10 });

  // While the flood goes on: nothing at once, one line per interval.
  refusals.refused({ claimedSender: undefined, reason: "unsigned request", path: "/api/internal/ping", address: "127.0.0.1" });
  assert.equal(lines.length, 3);
  t.mock.timers.tick(10_000);
  assert.equal(lines.length, 4);
  // Then quiet: the window closes, and the next refusal is a line at once again.
  t.mock.timers.tick(10_000);
  refusals.refused({ claimedSender: undefined, reason: "bad signature", path: "/api/internal/ping", address: "127.0.0.1" });
  assert.equal(lines.length, 5);
  assert.equal(lines[4]?.msg, "internal call refused");
});
