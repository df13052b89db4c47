import "server-only";
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { getIronSession } from "iron-session";
import { z } from "zod";
import { getSite } from "@/lib/site/site";

/** Who the browser is: a random id and the name they chose. No passwords. */
export type User = { userId: string; name: string };

const sessionData = z.object({ userId: z.string().regex(/^u_[a-z0-9]{16}$/), name: z.string().min(1).max(40) });

async function ironSession() {
  return getIronSession<Partial<User>>(await cookies(), {
    password: getSite().config.sessionPassword,
    cookieName: COOKIE_NAME,
    ttl: 0,
    cookieOptions: { httpOnly: true, sameSite: "lax", secure: false, path: "/", maxAge: 400 * 24 * 3600 },
  });
}

const COOKIE_NAME = "groupshot";
/** Sealed cookie → its user. Unsealing is a pure function of the cookie (seals never expire: ttl 0) and costs 1-5 ms of WebCrypto per request. */
const unsealed = new Map<string, User>();
const MAX_UNSEALED = 10_000;
const MAX_CACHED_COOKIE_CHARS = 1_024; // ours are ~250: the cache stays under ~10 MB

/** The current user, or null without a valid cookie (a forged or tampered one is simply no session). */
export async function currentUser(): Promise<User | null> {
  const sealed = (await cookies()).get(COOKIE_NAME)?.value;
  if (!sealed) return null;
  const known = unsealed.get(sealed);
  if (known) return known;
  const parsed = sessionData.safeParse({ ...(await ironSession()) });
  if (!parsed.success) return null;
  if (sealed.length > MAX_CACHED_COOKIE_CHARS) return parsed.data;
  if (unsealed.size >= MAX_UNSEALED) unsealed.delete(unsealed.keys().next().value ?? "");
  unsealed.set(sealed, parsed.data);
  return parsed.data;
}

/** Sets the display name, keeping the user id of an existing session so their photos stay theirs. */
export async function signIn(name: string): Promise<User> {
  const session = await ironSession();
  const existing = sessionData.safeParse({ ...session });
  session.userId = existing.success ? existing.data.userId : `u_${randomBytes(10).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "").padEnd(16, "0").slice(0, 16)}`;
  session.name = name;
  await session.save();
  return { userId: session.userId, name };
}
