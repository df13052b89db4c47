import { webcrypto } from "node:crypto";

/**
 * Lower-case hex SHA-256 of some bytes. Web Crypto's digest runs on the libuv thread pool,
 * unlike createHash, so hashing a 20 MB upload does not block the event loop.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await webcrypto.subtle.digest("SHA-256", bytes);
  return Buffer.from(digest).toString("hex");
}
