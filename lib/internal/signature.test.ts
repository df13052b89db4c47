import { createHash } from "node:crypto";
import { test } from "node:test";
import assert from "node:assert/strict";
import { NonceCache, signRequest, signatureHeaders, verifyRequest } from "./signature";

const secret = "s".repeat(40);
const body = new TextEncoder().encode('{"hello":1}');
const nowMs = 1_800_000_000_000;

function verify(headers: Record<string, string>, overrides: Partial<{ body: Uint8Array; path: string; method: string; nowMs: number; nonces: NonceCache }> = {}) {
  return verifyRequest({
    secret,
    knownSites: new Set(["s0", "s1"]),
    method: overrides.method ?? "POST",
    path: overrides.path ?? "/api/internal/messages",
    headers: new Headers(headers),
    body: overrides.body ?? body,
    nowMs: overrides.nowMs ?? nowMs,
    maxAgeMs: 30_000,
    nonces: overrides.nonces ?? new NonceCache({ ttlMs: 60_000, maxEntries: 1000 }),
  });
}
const signed = () => signRequest({ secret, siteId: "s0", method: "POST", path: "/api/internal/messages", body, nowMs });

test("a correctly signed request is accepted and names its sender", () => {
  assert.deepEqual(verify(signed()), { ok: true, siteId: "s0" });
});

const refusals: Array<[string, () => ReturnType<typeof verify>, string]> = [
  ["unsigned", () => verify({}), "unsigned request"],
  ["wrong secret", () => verify(signRequest({ secret: "t".repeat(40), siteId: "s0", method: "POST", path: "/api/internal/messages", body, nowMs })), "bad signature"],
  ["tampered body", () => verify(signed(), { body: new TextEncoder().encode('{"hello":2}') }), "bad signature"],
  ["other path", () => verify(signed(), { path: "/api/internal/ping" }), "bad signature"],
  ["other method", () => verify(signed(), { method: "PUT" }), "bad signature"],
  ["stale", () => verify(signed(), { nowMs: nowMs + 31_000 }), "stale timestamp"],
  ["from the future", () => verify(signed(), { nowMs: nowMs - 31_000 }), "stale timestamp"],
  ["unknown sender", () => verify({ ...signed(), [signatureHeaders.site]: "s9" }), "unknown site"],
  ["sender swapped", () => verify({ ...signed(), [signatureHeaders.site]: "s1" }), "bad signature"],
  ["garbage signature", () => verify({ ...signed(), [signatureHeaders.signature]: "zz" }), "malformed signature headers"],
];
for (const [name, run, reason] of refusals) {
  test(`refused: ${name}`, () => assert.deepEqual(run(), { ok: false, reason }));
}

test("a replayed request is refused, a fresh one still passes", () => {
  const nonces = new NonceCache({ ttlMs: 60_000, maxEntries: 1000 });
  const headers = signed();
  assert.equal(verify(headers, { nonces }).ok, true);
  assert.deepEqual(verify(headers, { nonces }), { ok: false, reason: "replayed request" });
  assert.equal(verify(signed(), { nonces }).ok, true);
});

test("the nonce cache stays bounded", () => {
  const nonces = new NonceCache({ ttlMs: 60_000, maxEntries: 3 });
  for (let i = 0; i < 10; i++) assert.equal(nonces.remember(`n${i}`, nowMs), true);
  assert.equal(nonces.remember("n9", nowMs), false);
});

test("a body named by its sha256 (a blob) is signed and verified without hashing it, and only with that name", () => {
  const blob = new TextEncoder().encode("photo bytes");
  const name = createHash("sha256").update(blob).digest("hex");
  const path = `/api/internal/blobs/${name}`;
  const headers = signRequest({ secret, siteId: "s0", method: "PUT", path, body: blob, bodySha256: name, nowMs });
  const check = (bodySha256: string | undefined) =>
    verifyRequest({
      secret,
      knownSites: new Set(["s0"]),
      method: "PUT",
      path,
      headers: new Headers(headers),
      body: blob,
      bodySha256,
      nowMs,
      maxAgeMs: 30_000,
      nonces: new NonceCache({ ttlMs: 60_000, maxEntries: 10 }),
    });
  assert.deepEqual(check(name), { ok: true, siteId: "s0" });
  // The same as hashing the bytes, when the name is right...
  assert.deepEqual(check(undefined), { ok: true, siteId: "s0" });
  // ...and another claimed hash does not verify.
  assert.deepEqual(check("0".repeat(64)), { ok: false, reason: "bad signature" });
});
