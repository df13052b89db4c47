// What a user is told about a transaction: per-site acknowledgements and the public state.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Outcome } from "@/lib/twopc/outcome";
import { publicState, siteAcks } from "./outcome-view";

const sites = ["s0", "s1", "s2", "s3"];

function outcome(state: Outcome["state"], votes: Record<string, { vote: "yes" | "no" | "none"; acked: boolean }> = {}, view: Outcome["view"] = "coordinator"): Outcome {
  return { txId: "s0.t", state, view, sites: votes };
}

const acked = (list: boolean[]) => sites.map((siteId, i) => ({ siteId, acknowledged: list[i] ?? false }));

const cases: Array<{ name: string; outcome: Outcome | null; expected: boolean[] }> = [
  { name: "no outcome: nobody has acknowledged", outcome: null, expected: [false, false, false, false] },
  { name: "committed: every site voted yes after logging, so all have", outcome: outcome("committed"), expected: [true, true, true, true] },
  { name: "committed as a participant sees it (no per-site detail)", outcome: outcome("committed", {}, "participant"), expected: [true, true, true, true] },
  {
    name: "pending: the sites that voted yes",
    outcome: outcome("pending", { s0: { vote: "yes", acked: false }, s1: { vote: "yes", acked: false }, s2: { vote: "none", acked: false }, s3: { vote: "none", acked: false } }),
    expected: [true, true, false, false],
  },
  {
    name: "aborted: a site that voted no has nothing to acknowledge until it acks the abort",
    outcome: outcome("aborted", { s0: { vote: "yes", acked: true }, s1: { vote: "no", acked: false }, s2: { vote: "no", acked: true }, s3: { vote: "none", acked: false } }),
    expected: [true, false, true, false],
  },
  { name: "a site missing from the outcome is not acknowledged", outcome: outcome("pending", { s0: { vote: "yes", acked: false } }), expected: [true, false, false, false] },
];

for (const c of cases) {
  test(`siteAcks: ${c.name}`, () => assert.deepEqual(siteAcks(sites, c.outcome), acked(c.expected)));
}

test("siteAcks keeps the order of the configured sites", () => {
  assert.deepEqual(
    siteAcks(["s3", "s1"], outcome("committed")).map((s) => s.siteId),
    ["s3", "s1"],
  );
});

const states: Array<[Outcome["state"], string]> = [
  ["pending", "pending"],
  ["committed", "committed"],
  ["aborted", "aborted"],
  // Unknown to a non-coordinator: it can never commit without this site having prepared it.
  ["unknown", "aborted"],
];
for (const [state, expected] of states) {
  test(`publicState: ${state} → ${expected}`, () => assert.equal(publicState(outcome(state)), expected));
}
