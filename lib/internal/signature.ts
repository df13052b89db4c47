import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export const signatureHeaders = {
  site: "x-groupshot-site",
  timestamp: "x-groupshot-timestamp",
  nonce: "x-groupshot-nonce",
  signature: "x-groupshot-signature",
} as const;

/**
 * `bodySha256`, when given, stands for the body's hash: a blob's name is its sha256, so a
 * blob upload need not hash megabytes on the event loop to sign or verify; the receiver checks
 * the bytes against that name before storing them (off the loop).
 */
type Signed = { method: string; path: string; siteId: string; timestampMs: number; nonce: string; body: Uint8Array; bodySha256?: string | undefined };

/** The exact bytes that are signed: method, path, sender, timestamp, nonce and the body's hash. */
function canonical(s: Signed): string {
  const bodyHash = s.bodySha256 ?? createHash("sha256").update(s.body).digest("hex");
  return [s.method.toUpperCase(), s.path, s.siteId, String(s.timestampMs), s.nonce, bodyHash].join("\n");
}

function mac(secret: string, s: Signed): string {
  return createHmac("sha256", secret).update(canonical(s)).digest("hex");
}

export function signRequest(options: { secret: string; siteId: string; method: string; path: string; body: Uint8Array; bodySha256?: string | undefined; nowMs: number }): Record<string, string> {
  const nonce = randomUUID();
  const signed = { ...options, timestampMs: options.nowMs, nonce };
  return {
    [signatureHeaders.site]: options.siteId,
    [signatureHeaders.timestamp]: String(options.nowMs),
    [signatureHeaders.nonce]: nonce,
    [signatureHeaders.signature]: mac(options.secret, signed),
  };
}

/**
 * Remembers the nonces seen within the freshness window so a captured request cannot be
 * replayed. Bounded: entries expire after twice the window, and the oldest go first when full.
 */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly options: { ttlMs: number; maxEntries: number }) {}

  /** Records the nonce; false if it was already seen. */
  remember(nonce: string, nowMs: number): boolean {
    for (const [key, expiresAtMs] of this.seen) {
      if (expiresAtMs > nowMs && this.seen.size < this.options.maxEntries) break;
      this.seen.delete(key);
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, nowMs + this.options.ttlMs);
    return true;
  }
}

export type Verification = { ok: true; siteId: string } | { ok: false; reason: string };

export function verifyRequest(options: {
  secret: string;
  knownSites: ReadonlySet<string>;
  method: string;
  path: string;
  headers: Headers;
  body: Uint8Array;
  /** The body's sha256 as the route knows it (a blob's name); the route must check the bytes against it. */
  bodySha256?: string | undefined;
  nowMs: number;
  maxAgeMs: number;
  nonces: NonceCache;
}): Verification {
  const siteId = options.headers.get(signatureHeaders.site);
  const timestamp = options.headers.get(signatureHeaders.timestamp);
  const nonce = options.headers.get(signatureHeaders.nonce);
  const signature = options.headers.get(signatureHeaders.signature);
  if (!siteId || !timestamp || !nonce || !signature) return { ok: false, reason: "unsigned request" };
  if (!options.knownSites.has(siteId)) return { ok: false, reason: "unknown site" };
  if (!/^\d{1,16}$/.test(timestamp) || nonce.length > 100 || !/^[0-9a-f]{64}$/.test(signature)) {
    return { ok: false, reason: "malformed signature headers" };
  }
  const timestampMs = Number(timestamp);
  if (Math.abs(options.nowMs - timestampMs) > options.maxAgeMs) return { ok: false, reason: "stale timestamp" };
  const expected = mac(options.secret, { method: options.method, path: options.path, siteId, timestampMs, nonce, body: options.body, bodySha256: options.bodySha256 });
  if (!timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(signature, "hex"))) {
    return { ok: false, reason: "bad signature" };
  }
  // Only a correctly signed request may use up a nonce, so forgeries cannot block real ones.
  if (!options.nonces.remember(nonce, options.nowMs)) return { ok: false, reason: "replayed request" };
  return { ok: true, siteId };
}
