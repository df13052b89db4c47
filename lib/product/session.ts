import "server-only";
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { AppError } from "@/lib/errors";
import { displayNameProblem } from "./display-name";
import { isRenewalDue, makeSeal, MAX_ADMIN_GRANTS, openSeal, type OpenSeal, type SealKeys, type User } from "./session-seal";

export type { User };

/** What the session needs of the site: SESSION_PASSWORD, SESSION_TTL_MS, and whether cookies are `Secure` (an https PUBLIC_URL). */
export type SessionKeys = { config: { sessionPassword: string; sessionTtlMs: number; secureCookies: boolean } };

const COOKIE_NAME = "groupshot";

const sealKeysOf = (site: SessionKeys): SealKeys => ({ password: site.config.sessionPassword, ttlMs: site.config.sessionTtlMs });
/** The cookie's attributes, the same when it is set and when it is removed (a browser matches them). */
const cookieAttributes = (site: SessionKeys) => ({ httpOnly: true, sameSite: "lax" as const, secure: site.config.secureCookies, path: "/" });

/** Sealed cookie → what it unsealed to. Unsealing costs 1-5 ms of WebCrypto per request; the seal's own time bounds each entry's life. */
const unsealed = new Map<string, OpenSeal>();
const MAX_UNSEALED = 10_000; // × at most MAX_SEAL_CHARS (2 KiB): the cache stays under ~20 MB

async function openCookie(site: SessionKeys, sealed: string, nowMs: number): Promise<OpenSeal | null> {
  const keys = sealKeysOf(site);
  const known = unsealed.get(sealed);
  if (known) {
    if (known.sealedAtMs === null || nowMs - known.sealedAtMs < keys.ttlMs) return known;
    unsealed.delete(sealed);
    return null;
  }
  const open = await openSeal(sealed, keys, nowMs);
  if (!open) return null;
  if (unsealed.size >= MAX_UNSEALED) unsealed.delete(unsealed.keys().next().value ?? "");
  unsealed.set(sealed, open);
  return open;
}

async function writeCookie(site: SessionKeys, user: User, nowMs: number): Promise<void> {
  const seal = await makeSeal(user, sealKeysOf(site), nowMs);
  (await cookies()).set(COOKIE_NAME, seal, { ...cookieAttributes(site), maxAge: Math.floor(site.config.sessionTtlMs / 1000) });
}

/**
 * The current user, or null without a valid cookie: a missing, forged, tampered, malformed or
 * expired one is simply no session, never an error. Sliding expiry: a seal past half its life
 * is sealed again (a new `Set-Cookie` on this answer). Route handlers only (it may set a cookie).
 */
export async function currentUser(site: SessionKeys): Promise<User | null> {
  const sealed = (await cookies()).get(COOKIE_NAME)?.value;
  if (!sealed) return null;
  const nowMs = Date.now();
  const open = await openCookie(site, sealed, nowMs);
  if (!open) return null;
  if (isRenewalDue(open, site.config.sessionTtlMs, nowMs)) await writeCookie(site, open.user, nowMs);
  return open.user;
}

/**
 * Sets the display name, keeping the user id of an existing session so their photos stay theirs.
 * A cookie that does not unseal is replaced by a new session. `name` is the contract's
 * (NFC, trimmed); one that would hide or reorder text is refused (`unsafe_name`).
 */
export async function signIn(site: SessionKeys, name: string): Promise<User> {
  const problem = displayNameProblem(name);
  if (problem) throw new AppError("unsafe_name", `This name cannot be used: ${problem}. Please type it again without it.`, { details: { fields: { name: [`This name cannot be used: ${problem}.`] } } });
  const sealed = (await cookies()).get(COOKIE_NAME)?.value;
  const nowMs = Date.now();
  const existing = sealed ? await openCookie(site, sealed, nowMs) : null;
  const user: User = existing ? { ...existing.user, name } : { userId: newUserId(), name };
  await writeCookie(site, user, nowMs);
  return { userId: user.userId, name };
}

/** Signs out: the cookie is removed from the browser. (A seal is not revocable: a copy kept elsewhere stays valid until it expires.) */
export async function signOut(site: SessionKeys): Promise<void> {
  (await cookies()).set(COOKIE_NAME, "", { ...cookieAttributes(site), maxAge: 0 });
}

/**
 * Records in the sealed cookie that this browser holds the creator's rights on `eventId` (its
 * admin link was verified). Needs a session: the rights belong to a person, not to the link.
 */
export async function grantCreatorRights(site: SessionKeys, user: User, eventId: string): Promise<User> {
  const adminOf = [...(user.adminOf ?? []).filter((id) => id !== eventId), eventId].slice(-MAX_ADMIN_GRANTS);
  const granted = { ...user, adminOf };
  await writeCookie(site, granted, Date.now());
  return granted;
}

function newUserId(): string {
  return `u_${randomBytes(10).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "").padEnd(16, "0").slice(0, 16)}`;
}
