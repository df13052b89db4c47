import { test } from "node:test";
import assert from "node:assert/strict";
import { adminTokenFormat, adminTokenHash, adminTokenMatches, adminUrl, mintAdminToken } from "./admin-link";

test("admin link: a minted token has the format, its hash is its sha256, and two tokens differ", () => {
  const a = mintAdminToken();
  const b = mintAdminToken();
  assert.match(a.token, adminTokenFormat);
  assert.match(a.hash, /^[0-9a-f]{64}$/);
  assert.equal(a.hash, adminTokenHash(a.token));
  assert.notEqual(a.token, b.token);
  assert.notEqual(a.hash, b.hash);
  assert.ok(!a.hash.includes(a.token), "the stored hash does not contain the token");
});

test("admin link: only the exact token matches its hash", () => {
  const { token, hash } = mintAdminToken();
  const last = token.at(-1) === "A" ? "B" : "A";
  const cases: Array<[string, string, string | null, boolean]> = [
    ["the token", token, hash, true],
    ["one character altered", `${token.slice(0, -1)}${last}`, hash, false],
    ["another token", mintAdminToken().token, hash, false],
    ["truncated", token.slice(0, 42), hash, false],
    ["extended", `${token}A`, hash, false],
    ["upper-cased", token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase(), hash, false],
    ["empty", "", hash, false],
    ["the hash itself", hash, hash, false],
    ["an event without a link", token, null, false],
    ["a damaged stored hash", token, "zz".repeat(32), false],
    ["a short stored hash", token, hash.slice(0, 62), false],
  ];
  for (const [name, given, stored, expected] of cases) assert.equal(adminTokenMatches(given, stored), expected, name);
});

test("admin link: the token travels in the fragment of the event's admin page", () => {
  assert.equal(adminUrl("https://photos.example", "ev_abcdefghijkm", "T".repeat(43)), `https://photos.example/e/ev_abcdefghijkm/admin#${"T".repeat(43)}`);
});
