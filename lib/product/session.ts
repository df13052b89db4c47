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
    cookieName: "groupshot",
    ttl: 0,
    cookieOptions: { httpOnly: true, sameSite: "lax", secure: false, path: "/", maxAge: 400 * 24 * 3600 },
  });
}

/** The current user, or null without a valid cookie (a forged or tampered one is simply no session). */
export async function currentUser(): Promise<User | null> {
  const parsed = sessionData.safeParse({ ...(await ironSession()) });
  return parsed.success ? parsed.data : null;
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
