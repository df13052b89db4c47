// The home's round decider against a fake engine: while a decide transaction is undecided (a
// site is down) it follows that one, and starts no new one that could only abort as busy.
import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { migrate } from "@/lib/db/migrate";
import { systemTimers } from "@/lib/twopc/system-ports";
import type { Outcome } from "@/lib/twopc/outcome";
import { repoOf } from "./repo";
import { RoundDecider } from "./round-decider";

const T0 = 1_800_000_000_000;
const quiet = { info: () => undefined, warn: () => undefined };

function homeWithADueRound() {
  const db = new Database(":memory:");
  migrate(db);
  const repo = repoOf(db);
  repo.insertEvent({ eventId: "ev_1", title: "Picnic", homeSite: "s0", creatorId: "u_ana", creatorName: "Ana", createdAtMs: T0 });
  repo.insertPhoto({
    eventId: "ev_1",
    photoId: "ph_1",
    uploaderId: "u_ana",
    uploaderName: "Ana",
    originSite: "s0",
    sha256: "a".repeat(64),
    displayHash: "b".repeat(64),
    tileHash: "c".repeat(64),
    width: 100,
    height: 100,
    createdAtMs: T0,
  });
  repo.openWindow({ eventId: "ev_1", version: 1, round: 1 }, { openedAtMs: T0, deadlineMs: T0 + 1_000 }); // the deadline has passed: decide now
  return db;
}

function fakeEngine(answers: Outcome["state"][]) {
  const begun: string[] = [];
  const waitedOn: string[] = [];
  return {
    answers,
    begun,
    waitedOn,
    engine: {
      begin: () => {
        const txId = `s0.tx${begun.length + 1}`;
        begun.push(txId);
        return txId;
      },
      waitForOutcome: async (txId: string): Promise<Outcome> => {
        waitedOn.push(txId);
        const state = answers.shift() ?? "committed";
        return { txId, state, code: state === "aborted" ? "busy" : undefined, view: "coordinator", sites: {} };
      },
    },
  };
}

/** Runs the decider until every scripted answer was given (or 2 s pass), then stops it. */
async function decideOnce(db: Database.Database, fake: ReturnType<typeof fakeEngine>): Promise<void> {
  const decider = new RoundDecider({
    siteId: "s0",
    store: () => repoOf(db),
    engine: fake.engine,
    clock: { nowMs: () => T0 + 5_000 },
    monotonic: { nowMs: () => performance.now() },
    ballotWindowMs: 120_000,
    timers: systemTimers,
    random: { next: () => 0.5 },
    log: quiet,
    retryBaseMs: 1,
    retryMaxMs: 2,
  });
  decider.consider("ev_1");
  for (let waitedMs = 0; fake.answers.length > 0 && waitedMs < 2_000; waitedMs += 5) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 20)); // a last attempt would show here
  decider.stop();
}

test("round decider: a pending decide transaction is followed to its end, not raced by new ones", async () => {
  const fake = fakeEngine(["pending", "pending", "pending", "committed"]);
  await decideOnce(homeWithADueRound(), fake);
  assert.deepEqual(fake.begun, ["s0.tx1"], "one transaction while a site is down");
  assert.deepEqual(fake.waitedOn, ["s0.tx1", "s0.tx1", "s0.tx1", "s0.tx1"]);
});

test("round decider: an aborted attempt (busy) is retried with a new transaction after a pause", async () => {
  const fake = fakeEngine(["aborted", "committed"]);
  await decideOnce(homeWithADueRound(), fake);
  assert.deepEqual(fake.begun, ["s0.tx1", "s0.tx2"]);
});
