// The session cookie's value: the person sealed with iron (iron-session's sealData/unsealData:
// AES-256-CBC + HMAC-SHA256 under SESSION_PASSWORD) with the time it was sealed. Pure of the
// request (no cookies() here), so it is unit-tested over forged and malformed seals.
import { sealData, unsealData } from "iron-session";
import { z } from "zod";
import { eventIdFormat } from "./ids";

/**
 * Who the browser is: a random id and the name they chose. No passwords. `adminOf`: the events
 * whose admin link this browser opened (it holds the creator's rights on them), newest last.
 */
export type User = { userId: string; name: string; adminOf?: readonly string[] };

/** Admin grants one cookie keeps (the oldest is dropped first): the cookie stays small. */
export const MAX_ADMIN_GRANTS = 20;
/** Ours are ~300 characters, ~750 with 20 admin grants; anything much longer is not one of ours and is not unsealed. */
export const MAX_SEAL_CHARS = 2_048;
/** What iron-session 8 writes: iron's "Fe26.2*…" seal (base64url parts joined by "*") and its token version "~2". */
const SEAL_SHAPE = /^Fe26\.2\*[A-Za-z0-9_\-*]+~2$/;
/** A seal dated this far in the future is forged or from a site whose clock is badly off: no session. */
const MAX_FUTURE_SKEW_MS = 5 * 60_000;

const sealedSession = z.object({
  userId: z.string().regex(/^u_[a-z0-9]{16}$/),
  name: z.string().min(1).max(40),
  adminOf: z.array(z.string().regex(eventIdFormat)).max(MAX_ADMIN_GRANTS).optional(),
  /** When it was sealed (ms since the epoch). Absent in seals from before sessions expired. */
  sealedAtMs: z.number().int().nonnegative().optional(),
});

/** SESSION_PASSWORD and SESSION_TTL_MS of this site. */
export type SealKeys = { password: string; ttlMs: number };

/** An unsealed session: the person, and when the seal was made (null: an old seal without a time). */
export type OpenSeal = { user: User; sealedAtMs: number | null };

/**
 * The person a cookie's value names, or null for anything that does not unseal: forged, tampered,
 * truncated, another password's, expired, not iron at all. Never throws — iron's unseal throws
 * past iron-session's own handling on some malformed seals (a wrong MAC prefix, a non-numeric
 * expiry), and none of that is an error of this site.
 */
export async function openSeal(sealed: string, keys: SealKeys, nowMs: number): Promise<OpenSeal | null> {
  if (sealed.length > MAX_SEAL_CHARS || !SEAL_SHAPE.test(sealed)) return null;
  let data: unknown;
  try {
    // ttl 0: iron checks the expiry written in the seal itself; the age check below is ours.
    data = await unsealData(sealed, { password: keys.password, ttl: 0 });
  } catch {
    return null;
  }
  const parsed = sealedSession.safeParse(data);
  if (!parsed.success) return null;
  const { sealedAtMs, ...user } = parsed.data;
  if (sealedAtMs !== undefined && (sealedAtMs > nowMs + MAX_FUTURE_SKEW_MS || nowMs - sealedAtMs >= keys.ttlMs)) return null;
  return { user, sealedAtMs: sealedAtMs ?? null };
}

/** Seals `user` now; the seal expires after `keys.ttlMs` (in iron's expiry field and in our own time). */
export function makeSeal(user: User, keys: SealKeys, nowMs: number): Promise<string> {
  const data = { userId: user.userId, name: user.name, ...(user.adminOf ? { adminOf: [...user.adminOf] } : {}), sealedAtMs: nowMs };
  return sealData(data, { password: keys.password, ttl: Math.ceil(keys.ttlMs / 1000) });
}

/** Sliding expiry: a seal past half its life (or an old one without a time) is sealed again on the next request. */
export function isRenewalDue(open: OpenSeal, ttlMs: number, nowMs: number): boolean {
  return open.sealedAtMs === null || nowMs - open.sealedAtMs >= ttlMs / 2;
}
