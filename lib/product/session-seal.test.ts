import { test } from "node:test";
import assert from "node:assert/strict";
import { sealData } from "iron-session";
import { isRenewalDue, makeSeal, openSeal, type SealKeys } from "./session-seal";

const keys: SealKeys = { password: "p".repeat(32), ttlMs: 30 * 24 * 3600 * 1000 };
const ana = { userId: "u_abcdefghijklmnop", name: "Ana" };

test("session seal: a seal made here opens to its person, and is due for renewal past half its life", async () => {
  const now = Date.now();
  const seal = await makeSeal({ ...ana, adminOf: ["ev_abcdefghijkm"] }, keys, now);
  const open = await openSeal(seal, keys, now);
  assert.deepEqual(open, { user: { ...ana, adminOf: ["ev_abcdefghijkm"] }, sealedAtMs: now });
  assert.equal(isRenewalDue(open, keys.ttlMs, now + keys.ttlMs / 2 - 1), false);
  assert.equal(isRenewalDue(open, keys.ttlMs, now + keys.ttlMs / 2), true);
});

test("session seal: it expires after SESSION_TTL_MS, and one dated in the future is no session", async () => {
  const now = Date.now();
  const seal = await makeSeal(ana, keys, now);
  assert.ok(await openSeal(seal, keys, now + keys.ttlMs - 1));
  assert.equal(await openSeal(seal, keys, now + keys.ttlMs), null);
  assert.equal(await openSeal(await makeSeal(ana, keys, now + 3_600_000), keys, now), null);
  // Iron's own expiry field: a short-lived seal (1 minute) read with a long TTL still expires by its own time.
  assert.equal(await openSeal(seal, { ...keys, ttlMs: 60_000 }, now + 60_000), null);
});

test("session seal: an old seal without a time (before sessions expired) still opens, due for renewal at once", async () => {
  const legacy = await sealData(ana, { password: keys.password, ttl: 0 });
  const open = await openSeal(legacy, keys, Date.now());
  assert.deepEqual(open, { user: ana, sealedAtMs: null });
  assert.equal(isRenewalDue(open, keys.ttlMs, Date.now()), true);
});

/** Malformed seals, built from a real one. None may throw; none may open. */
async function malformedSeals(good: string): Promise<string[]> {
  const [body = "", version = ""] = good.split("~");
  const parts = body.split("*");
  assert.equal(parts.length, 8, "iron's seal has 8 parts");
  const withPart = (i: number, value: string) => parts.map((p, j) => (j === i ? value : p)).join("*") + `~${version}`;
  const seals = [
    withPart(0, "Fe26.1"), // wrong MAC prefix: iron throws past iron-session's own handling
    withPart(0, ""),
    withPart(5, "soon"), // non-numeric expiry: iron throws "Invalid expiration"
    withPart(5, "-1"),
    withPart(5, "1e99"),
    withPart(5, "1"), // expired long ago (and the MAC no longer matches)
    withPart(1, "__proto__"),
    withPart(1, "constructor"),
    withPart(1, "toString"),
    withPart(1, "2"), // a password id that does not exist
    withPart(2, ""),
    withPart(3, "!!!"),
    withPart(3, ""),
    withPart(4, ""),
    withPart(4, "%%%%"),
    withPart(4, `${parts[4]}A`),
    withPart(6, ""),
    withPart(7, ""),
    withPart(7, `${parts[7]}x`),
    withPart(7, "A".repeat(43)),
    parts.slice(0, 7).join("*") + `~${version}`, // too few parts
    [...parts, "extra"].join("*") + `~${version}`,
    body, // no version suffix: read as a v1 seal
    `${body}~1`,
    `${body}~abc`,
    `${body}~2~2`,
    `${good}x`,
    good.slice(0, -1),
    good.slice(0, good.length / 2),
    good.toUpperCase(),
    good.replace(/[a-z]/, "Z"),
    "*******",
    "~2",
    "Fe26.2**********~2",
    "Fe26.2*1*a*b*c*d*e*f~2",
    "x".repeat(1_000),
    "Fe26.2*" + "A".repeat(5_000),
    "%ZZ",
    "\u0000\u0001",
    "é".repeat(50),
    JSON.stringify(ana),
    Buffer.from(JSON.stringify(ana)).toString("base64url"),
  ];
  // Seeded noise shaped like a seal: 8 parts of base64url-ish bytes with digits and stars.
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_*~.";
  for (let i = 0; i < 300; i += 1) {
    const mutated = [...good];
    for (let k = 0; k <= next() % 4; k += 1) mutated[next() % mutated.length] = alphabet[next() % alphabet.length] ?? "A";
    seals.push(mutated.join(""));
  }
  return seals.filter((seal) => seal !== good);
}

test("session seal: hundreds of forged and malformed seals are no session, and none throws", async () => {
  const now = Date.now();
  const seals = await malformedSeals(await makeSeal(ana, keys, now));
  assert.ok(seals.length > 300);
  for (const seal of seals) assert.equal(await openSeal(seal, keys, now), null, JSON.stringify(seal));
});

test("session seal: another password's seal, or an iron seal of something else, is no session", async () => {
  const now = Date.now();
  assert.equal(await openSeal(await makeSeal(ana, { ...keys, password: "q".repeat(32) }, now), keys, now), null);
  for (const data of [{ userId: "admin", name: "Ana" }, { userId: ana.userId, name: "" }, { userId: ana.userId, name: "x".repeat(41) }, { ...ana, adminOf: ["not-an-event"] }, { ...ana, sealedAtMs: "now" }, {}]) {
    assert.equal(await openSeal(await sealData(data, { password: keys.password, ttl: 3600 }), keys, now), null, JSON.stringify(data));
  }
});
