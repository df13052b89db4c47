import "server-only";
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { getIronSession } from "iron-session";
import { z } from "zod";
import { eventIdFormat } from "./ids";

/**
 * Who the browser is: a random id and the name they chose. No passwords. `adminOf`: the events
 * whose admin link this browser opened (it holds the creator's rights on them), newest last.
 */
export type User = { userId: string; name: string; adminOf?: readonly string[] };

/** Admin grants one cookie keeps (the oldest is dropped first): the cookie stays small. */
const MAX_ADMIN_GRANTS = 20;

const sessionData = z.object({
  userId: z.string().regex(/^u_[a-z0-9]{16}$/),
  name: z.string().min(1).max(40),
  adminOf: z.array(z.string().regex(eventIdFormat)).max(MAX_ADMIN_GRANTS).optional(),
});

/** The seal's secret: SESSION_PASSWORD of this site. */
export type SessionKeys = { config: { sessionPassword: string } };

async function ironSession(site: SessionKeys) {
  return getIronSession<Partial<User>>(await cookies(), {
    password: site.config.sessionPassword,
    cookieName: COOKIE_NAME,
    ttl: 0,
    cookieOptions: { httpOnly: true, sameSite: "lax", secure: false, path: "/", maxAge: 400 * 24 * 3600 },
  });
}

const COOKIE_NAME = "groupshot";
/** Sealed cookie → its user. Unsealing is a pure function of the cookie (seals never expire: ttl 0) and costs 1-5 ms of WebCrypto per request. */
const unsealed = new Map<string, User>();
const MAX_UNSEALED = 10_000;
const MAX_CACHED_COOKIE_CHARS = 2_048; // ours are ~250, ~700 with 20 admin grants: the cache stays under ~20 MB

/** The current user, or null without a valid cookie (a forged or tampered one is simply no session). */
export async function currentUser(site: SessionKeys): Promise<User | null> {
  const sealed = (await cookies()).get(COOKIE_NAME)?.value;
  if (!sealed) return null;
  const known = unsealed.get(sealed);
  if (known) return known;
  const parsed = sessionData.safeParse({ ...(await ironSession(site)) });
  if (!parsed.success) return null;
  if (sealed.length > MAX_CACHED_COOKIE_CHARS) return parsed.data;
  if (unsealed.size >= MAX_UNSEALED) unsealed.delete(unsealed.keys().next().value ?? "");
  unsealed.set(sealed, parsed.data);
  return parsed.data;
}

/** Sets the display name, keeping the user id of an existing session so their photos stay theirs. */
export async function signIn(site: SessionKeys, name: string): Promise<User> {
  const session = await ironSession(site);
  const existing = sessionData.safeParse({ ...session });
  session.userId = existing.success ? existing.data.userId : `u_${randomBytes(10).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "").padEnd(16, "0").slice(0, 16)}`;
  session.name = name;
  await session.save();
  return { userId: session.userId, name };
}

/**
 * Records in the sealed cookie that this browser holds the creator's rights on `eventId` (its
 * admin link was verified). Needs a session: the rights belong to a person, not to the link.
 */
export async function grantCreatorRights(site: SessionKeys, eventId: string): Promise<User> {
  const session = await ironSession(site);
  const existing = sessionData.parse({ ...session });
  const adminOf = [...(existing.adminOf ?? []).filter((id) => id !== eventId), eventId].slice(-MAX_ADMIN_GRANTS);
  session.adminOf = adminOf;
  await session.save();
  return { ...existing, adminOf };
}
