import { test } from "node:test";
import assert from "node:assert/strict";
import { byline, previewDescription } from "./link-preview-text";

test("link preview: the byline names up to three people, then counts the others", () => {
  const cases: Array<[string[], string]> = [
    [[], ""],
    [["Ana"], "Ana"],
    [["Ana", "Ben"], "Ana and Ben"],
    [["Ana", "Ben", "Cleo"], "Ana, Ben and Cleo"],
    [["Ana", "Ben", "Cleo", "Dan"], "Ana, Ben, Cleo and 1 other"],
    [["Ana", "Ben", "Cleo", "Dan", "Eve", "Fay"], "Ana, Ben, Cleo and 3 others"],
  ];
  for (const [names, expected] of cases) assert.equal(byline(names), expected);
});

test("link preview: the description says how many photos by whom, or invites before the first", () => {
  assert.equal(previewDescription({ photoCount: 0, names: [], creatorName: "Ana", published: false }), "Ana started this group photo montage. Add your photos: it is published only when everyone agrees.");
  assert.equal(previewDescription({ photoCount: 1, names: ["Ben"], creatorName: "Ana", published: false }), "1 photo by Ben. Add yours: the montage is published only when everyone agrees.");
  assert.equal(previewDescription({ photoCount: 12, names: ["Ana", "Ben", "Cleo", "Dan"], creatorName: "Ana", published: true }), "12 photos by Ana, Ben, Cleo and 1 other. The montage everyone agreed on.");
});
