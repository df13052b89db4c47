import { createHash } from "node:crypto";
import { test } from "node:test";
import assert from "node:assert/strict";
import { signRequest, signatureHeaders, verifyHeaders } from "./signature";

const secret = "s".repeat(40);
const body = new TextEncoder().encode('{"hello":1}');
const bodySha256 = createHash("sha256").update(body).digest("hex");
const nowMs = 1_800_000_000_000;
const maxAgeMs = 30_000;

type Overrides = Partial<{ path: string; method: string; nowMs: number; bodySha256: string }>;
function verify(headers: Record<string, string>, overrides: Overrides = {}) {
  return verifyHeaders({
    secret,
    knownSites: new Set(["s0", "s1"]),
    method: overrides.method ?? "POST",
    path: overrides.path ?? "/api/internal/messages",
    headers,
    bodySha256: overrides.bodySha256,
    nowMs: overrides.nowMs ?? nowMs,
    maxAgeMs,
    maxFutureSkewMs: 5_000,
  });
}
const signed = (at = nowMs) => signRequest({ secret, siteId: "s0", method: "POST", path: "/api/internal/messages", body, nowMs: at });

test("a correctly signed call is accepted from its headers alone: sender, nonce, the body's hash, when the nonce may be forgotten", () => {
  const headers = signed();
  assert.deepEqual(verify(headers), { ok: true, siteId: "s0", nonce: headers[signatureHeaders.nonce], bodySha256, nonceExpiresAtMs: nowMs + maxAgeMs });
});

test("a timestamp a little ahead (within the future skew) is accepted; its nonce is kept until that timestamp is stale", () => {
  const verdict = verify(signed(nowMs + 4_000));
  assert.equal(verdict.ok && verdict.nonceExpiresAtMs, nowMs + 4_000 + maxAgeMs);
});

const refusals: Array<[string, () => ReturnType<typeof verify>, string]> = [
  ["unsigned", () => verify({}), "unsigned request"],
  ["no body hash", () => verify({ ...signed(), [signatureHeaders.contentSha256]: "" }), "unsigned request"],
  ["wrong secret", () => verify(signRequest({ secret: "t".repeat(40), siteId: "s0", method: "POST", path: "/api/internal/messages", body, nowMs })), "bad signature"],
  ["another body's hash claimed", () => verify({ ...signed(), [signatureHeaders.contentSha256]: "0".repeat(64) }), "bad signature"],
  ["other path", () => verify(signed(), { path: "/api/internal/ping" }), "bad signature"],
  ["other method", () => verify(signed(), { method: "PUT" }), "bad signature"],
  ["stale", () => verify(signed(), { nowMs: nowMs + 31_000 }), "stale timestamp"],
  ["further ahead than the future skew", () => verify(signed(nowMs + 6_000)), "timestamp in the future"],
  ["unknown sender", () => verify({ ...signed(), [signatureHeaders.site]: "s9" }), "unknown site"],
  ["sender swapped", () => verify({ ...signed(), [signatureHeaders.site]: "s1" }), "bad signature"],
  ["garbage signature", () => verify({ ...signed(), [signatureHeaders.signature]: "zz" }), "malformed signature headers"],
  ["a nonce with odd characters", () => verify({ ...signed(), [signatureHeaders.nonce]: "a\nb" }), "malformed signature headers"],
  ["a huge timestamp", () => verify({ ...signed(), [signatureHeaders.timestamp]: "9".repeat(40) }), "malformed signature headers"],
];
for (const [name, run, reason] of refusals) {
  test(`refused from the headers: ${name}`, () => assert.deepEqual(run(), { ok: false, reason }));
}

test("a body named by its sha256 (a blob) is signed and verified by that name, without hashing the bytes", () => {
  const blob = new TextEncoder().encode("photo bytes");
  const name = createHash("sha256").update(blob).digest("hex");
  const path = `/api/internal/blobs/${name}`;
  const headers = signRequest({ secret, siteId: "s0", method: "PUT", path, body: new Uint8Array(0), bodySha256: name, nowMs });
  const check = (routeSha256: string | undefined) => verify(headers, { method: "PUT", path, bodySha256: routeSha256 });
  assert.equal(check(name).ok, true);
  assert.equal(check(undefined).ok, true, "the content-sha256 header carries the name too");
  // Another name is another signature.
  assert.deepEqual(check("0".repeat(64)), { ok: false, reason: "bad signature" });
});
