import { test } from "node:test";
import assert from "node:assert/strict";
import { tally } from "./tally";
import type { VoteValue } from "./types";

const P = ["s0", "s1", "s2"];
const votes = (entries: [string, VoteValue][]) => new Map(entries);

test("tally: pending until every participant voted, abort at the first no, commit only with all yes", () => {
  const cases: [string, [string, VoteValue][], string][] = [
    ["no votes yet", [], "pending"],
    ["some yes", [["s0", "yes"], ["s1", "yes"]], "pending"],
    ["one no among missing", [["s1", "no"]], "abort"],
    ["all yes but one no", [["s0", "yes"], ["s1", "no"], ["s2", "yes"]], "abort"],
    ["all yes", [["s0", "yes"], ["s1", "yes"], ["s2", "yes"]], "commit"],
    ["a yes from a non-participant does not count", [["s0", "yes"], ["s1", "yes"], ["s9", "yes"]], "pending"],
  ];
  for (const [name, given, expected] of cases) assert.equal(tally(P, votes(given)), expected, name);
});
