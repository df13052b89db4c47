import { test } from "node:test";
import assert from "node:assert/strict";
import { eventIdFormat, newId, photoIdFormat } from "./ids";

test("newId: prefixed, URL-safe ids that match the formats the routes accept", () => {
  for (let i = 0; i < 500; i++) {
    const event = newId("ev");
    const photo = newId("ph");
    assert.match(event, eventIdFormat);
    assert.match(photo, photoIdFormat);
    assert.equal(encodeURIComponent(event), event);
    // No look-alike characters (0/o, 1/l) in ids people may read aloud or type.
    assert.doesNotMatch(event.slice(3) + photo.slice(3), /[01lo]/);
  }
});

test("newId: unguessable in practice — no repeats in many draws", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) seen.add(newId("ev"));
  assert.equal(seen.size, 20_000);
});

test("the id formats refuse anything else", () => {
  for (const bad of ["", "ev_", "ev_ABCDEFGHIJKL", "ev_abc", "ev_abcdefghijkm2", "ph_abcdefghijkm", "../ev_abcdefghijk", "ev_abcdefghijk/"]) {
    assert.doesNotMatch(bad, eventIdFormat, bad);
  }
  assert.doesNotMatch("ev_abcdefghijkm", photoIdFormat);
});
