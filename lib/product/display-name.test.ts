import { test } from "node:test";
import assert from "node:assert/strict";
import { displayName } from "@/lib/api/contract";
import { displayNameProblem } from "./display-name";

test("display names: ordinary names in any script, with emoji, are fine", () => {
  for (const name of ["Ana", "José Ñúñez", "Zoë O'Brien-Smith", "李小龍", "Αλέξης", "محمد", "עברית", "हिन्दी", "Ana 🎉", "👩‍👩‍👧 family", "👍🏽", "❤️ Ben", "Ana  Ben", "Ana\u00a0Ben"]) {
    assert.equal(displayNameProblem(name), null, name);
  }
});

test("display names: control, bidi-override and invisible characters are refused, naming the code point", () => {
  const cases: Array<[string, string]> = [
    ["Ana\u202Egpj.exe", "U+202E"], // right-to-left override
    ["\u2066Ana\u2069", "U+2066"], // left-to-right isolate
    ["Ana\u200F", "U+200F"], // right-to-left mark
    ["An\u200Ba", "U+200B"], // zero-width space
    ["A\u200Dna", "U+200D"], // zero-width joiner between letters
    ["Ana\u2060", "U+2060"], // word joiner
    ["\uFEFFAna", "U+FEFF"], // byte-order mark
    ["Ana\u00AD", "U+00AD"], // soft hyphen
    ["Ana\u0000", "U+0000"],
    ["Ana\u0007", "U+0007"],
    ["Ana\nBen", "U+000A"],
    ["Ana\u0085", "U+0085"],
    ["Ana\u2028Ben", "U+2028"],
    ["\u3164", "U+3164"], // Hangul filler: looks like nothing
    ["\u2800", "U+2800"], // braille blank
    ["Ana\uE000", "U+E000"], // private use
    ["Ana\u{E0041}", "U+E0041"], // tag character
    ["Ana\uD800", "U+D800"], // lone surrogate
  ];
  for (const [name, codePoint] of cases) {
    const problem = displayNameProblem(name);
    assert.ok(problem?.includes(codePoint), `${JSON.stringify(name)}: ${problem}`);
  }
  assert.ok(displayNameProblem("Z\u0301\u0302\u0303\u0304\u0305algo"));
});

test("display names: the contract normalises to NFC before the length check", () => {
  const decomposed = "Jose\u0301"; // e + combining acute
  const parsed = displayName.parse(`  ${decomposed}  `);
  assert.equal(parsed, "José");
  assert.equal(parsed.length, 4);
  assert.equal(displayName.safeParse("e\u0301".repeat(40)).success, true, "40 letters once composed");
});
