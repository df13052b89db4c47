import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const signatureHeaders = {
  site: "x-groupshot-site",
  timestamp: "x-groupshot-timestamp",
  nonce: "x-groupshot-nonce",
  /** The body's sha256 (hex), so the signature is checked from the headers before any body byte is read. */
  contentSha256: "x-groupshot-content-sha256",
  signature: "x-groupshot-signature",
} as const;

type Signed = { method: string; path: string; siteId: string; timestampMs: number; nonce: string; bodySha256: string };

/** The exact bytes that are signed: method, path, sender, timestamp, nonce and the body's hash. */
function canonical(s: Signed): string {
  return [s.method.toUpperCase(), s.path, s.siteId, String(s.timestampMs), s.nonce, s.bodySha256].join("\n");
}

function mac(secret: string, s: Signed): string {
  return createHmac("sha256", secret).update(canonical(s)).digest("hex");
}

/**
 * The headers that sign a call. `bodySha256`, when given, stands for the body's hash: a blob's
 * name is its sha256, so a blob upload need not hash megabytes on the event loop to be signed.
 */
export function signRequest(options: { secret: string; siteId: string; method: string; path: string; body: Uint8Array; bodySha256?: string | undefined; nowMs: number }): Record<string, string> {
  const nonce = randomUUID();
  const bodySha256 = options.bodySha256 ?? createHash("sha256").update(options.body).digest("hex");
  return {
    [signatureHeaders.site]: options.siteId,
    [signatureHeaders.timestamp]: String(options.nowMs),
    [signatureHeaders.nonce]: nonce,
    [signatureHeaders.contentSha256]: bodySha256,
    [signatureHeaders.signature]: mac(options.secret, { ...options, timestampMs: options.nowMs, nonce, bodySha256 }),
  };
}

/** Why a call's headers were refused; a closed list (logs and metrics count by it). */
export const REFUSAL_REASONS = [
  "unsigned request",
  "unknown site",
  "malformed signature headers",
  "stale timestamp",
  "timestamp in the future",
  "bad signature",
  "replayed request",
  "body does not match its signature",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/**
 * A call whose headers carry a valid signature. The body is not read yet: `bodySha256` is what
 * its bytes must hash to, and `nonceExpiresAtMs` is when its timestamp turns stale (until then
 * the nonce must be remembered).
 */
export type SignedHeaders = { siteId: string; nonce: string; bodySha256: string; nonceExpiresAtMs: number };
export type Verification = ({ ok: true } & SignedHeaders) | { ok: false; reason: RefusalReason };

type HeaderValue = string | string[] | undefined;

/**
 * Checks a call from its headers alone (sender, timestamp window, signature over the claimed
 * body hash), so a refusal costs a header parse and no body byte is read. Replays are the
 * nonce store's part (nonce-store.ts); the body's bytes are checked against `bodySha256` as
 * they arrive.
 */
export function verifyHeaders(options: {
  secret: string;
  knownSites: ReadonlySet<string>;
  method: string;
  path: string;
  headers: Record<string, HeaderValue>;
  /** The body's sha256 as the route knows it (a blob's name); else the content-sha256 header. */
  bodySha256?: string | undefined;
  nowMs: number;
  maxAgeMs: number;
  maxFutureSkewMs: number;
}): Verification {
  const header = (name: string) => {
    const value = options.headers[name];
    return typeof value === "string" ? value : undefined;
  };
  const siteId = header(signatureHeaders.site);
  const timestamp = header(signatureHeaders.timestamp);
  const nonce = header(signatureHeaders.nonce);
  const signature = header(signatureHeaders.signature);
  const bodySha256 = options.bodySha256 ?? header(signatureHeaders.contentSha256);
  if (!siteId || !timestamp || !nonce || !signature || !bodySha256) return { ok: false, reason: "unsigned request" };
  if (!options.knownSites.has(siteId)) return { ok: false, reason: "unknown site" };
  if (!/^\d{1,16}$/.test(timestamp) || !/^[\w-]{1,100}$/.test(nonce) || !/^[0-9a-f]{64}$/.test(signature) || !/^[0-9a-f]{64}$/.test(bodySha256)) {
    return { ok: false, reason: "malformed signature headers" };
  }
  const timestampMs = Number(timestamp);
  if (options.nowMs - timestampMs > options.maxAgeMs) return { ok: false, reason: "stale timestamp" };
  if (timestampMs - options.nowMs > options.maxFutureSkewMs) return { ok: false, reason: "timestamp in the future" };
  const expected = mac(options.secret, { method: options.method, path: options.path, siteId, timestampMs, nonce, bodySha256 });
  if (!timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(signature, "hex"))) return { ok: false, reason: "bad signature" };
  return { ok: true, siteId, nonce, bodySha256, nonceExpiresAtMs: timestampMs + options.maxAgeMs };
}
