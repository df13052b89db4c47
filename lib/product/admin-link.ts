// The event's admin link (SPEC §1.14): a secret token shown once at creation; whoever opens the
// link gets the creator's rights on that event (remove any photo, close it to new contributors,
// reopen it). Only the token's sha256 is stored, and it is replicated with the event, so any
// site can check a token and none can show it again.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes, base64url: 43 characters. Guessing one is hopeless (2^256). */
const TOKEN_BYTES = 32;
export const adminTokenFormat = /^[A-Za-z0-9_-]{43}$/;

/** A new token and the hash that is stored and replicated in its place. */
export function mintAdminToken(): { token: string; hash: string } {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  return { token, hash: adminTokenHash(token) };
}

/** sha256 of the token, hex. */
export function adminTokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Whether `token` is the event's admin token. The comparison of the two hashes takes the same
 * time whatever they share (timingSafeEqual on equal-length digests), so an answer's timing says
 * nothing about how close a guess was; a malformed token or an event without a link is simply no.
 */
export function adminTokenMatches(token: string, storedHash: string | null): boolean {
  if (storedHash === null || !/^[0-9a-f]{64}$/.test(storedHash)) return false;
  const given = createHash("sha256").update(token, "utf8").digest();
  const expected = Buffer.from(storedHash, "hex");
  // Hash the given token whatever its shape, so a malformed one costs the same as a wrong one.
  return timingSafeEqual(given, expected) && adminTokenFormat.test(token);
}

/** The link: the token rides in the fragment, which browsers never send to a server or in a Referer. */
export function adminUrl(publicUrl: string, eventId: string, token: string): string {
  return `${publicUrl}/e/${eventId}/admin#${token}`;
}
