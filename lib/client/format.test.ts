import { test } from "node:test";
import assert from "node:assert/strict";
import { formatAgo, formatBytes, formatCountdown, formatDuration, initials, joinNames, plural, remainingNowMs } from "./format";

test("countdowns round up to the second and never go negative", () => {
  const cases: Array<[number, string]> = [
    [87_000, "1:27"],
    [86_001, "1:27"],
    [5_000, "0:05"],
    [0, "0:00"],
    [-3_000, "0:00"],
    [3_723_000, "1:02:03"],
  ];
  for (const [ms, text] of cases) assert.equal(formatCountdown(ms), text, `${ms} ms`);
});

test("the countdown runs from the server's remainingMs on the page's own clock, whatever the device's wall clock says", () => {
  // The answer said 90 s left when it arrived at t=1000 (performance.now); the wall clock plays no part.
  assert.equal(remainingNowMs({ remainingMs: 90_000, receivedAtMs: 1_000, nowMs: 1_000 }), 90_000);
  assert.equal(remainingNowMs({ remainingMs: 90_000, receivedAtMs: 1_000, nowMs: 31_000 }), 60_000);
  assert.equal(remainingNowMs({ remainingMs: 90_000, receivedAtMs: 1_000, nowMs: 200_000 }), 0);
  // A clock read before the answer (never on a monotonic clock, but harmless) does not add time.
  assert.equal(remainingNowMs({ remainingMs: 5_000, receivedAtMs: 1_000, nowMs: 500 }), 5_000);
});

test("durations, sizes, names and plurals read like a person wrote them", () => {
  assert.equal(formatDuration(120_000), "2 minutes");
  assert.equal(formatDuration(60_000), "1 minute");
  assert.equal(formatDuration(90_000), "90 seconds");
  assert.equal(formatDuration(1_000), "1 second");
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(80_000), "78 KB");
  assert.equal(formatBytes(2_400_000), "2.3 MB");
  assert.equal(formatBytes(20 * 1024 * 1024), "20 MB");
  assert.equal(joinNames([]), "");
  assert.equal(joinNames(["Mia"]), "Mia");
  assert.equal(joinNames(["Mia", "Ben"]), "Mia and Ben");
  assert.equal(joinNames(["Mia", "Ben", "Sam"]), "Mia, Ben and Sam");
  assert.equal(initials("Noor Haddad"), "NH");
  assert.equal(initials("  lena "), "L");
  assert.equal(initials(""), "?");
  assert.equal(plural(1, "photo"), "1 photo");
  assert.equal(plural(3, "person", "people"), "3 people");
});

test("'ago' is relative to the given now, and null means never", () => {
  const now = Date.parse("2026-11-22T10:00:00Z");
  assert.equal(formatAgo(null, now), "never");
  assert.equal(formatAgo("2026-11-22T10:00:00Z", now), "just now");
  assert.equal(formatAgo("2026-11-22T09:59:57Z", now), "3 s ago");
  assert.equal(formatAgo("2026-11-22T09:56:00Z", now), "4 min ago");
  assert.equal(formatAgo("2026-11-22T07:00:00Z", now), "3 h ago");
  assert.equal(formatAgo("2026-11-18T10:00:00Z", now), "4 days ago");
  assert.equal(formatAgo("not a date", now), "unknown");
});
