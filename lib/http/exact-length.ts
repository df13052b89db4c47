/**
 * Next.js 16 drops `Content-Length` from every route handler's Response before it reaches the
 * socket (next/dist/server/send-response.js, FORBIDDEN_HEADERS: a body that fetch decompressed
 * would carry a wrong one), so a download of known size would go out chunked: no progress bar
 * in the browser, and a body cut short would look complete. A response that knows its exact
 * length also sends it under this private name; scripts/server.mjs (the site's HTTP server)
 * turns it back into `Content-Length` as the headers go out. The name is written there too.
 */
export const EXACT_LENGTH_HEADER = "x-groupshot-content-length";

/** `Content-Length` of a body of exactly `sizeBytes` bytes, as Next.js lets it through (above). */
export function exactLengthHeaders(sizeBytes: number): Record<string, string> {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) throw new RangeError(`exactLengthHeaders: ${sizeBytes} is not a byte count`);
  return { "content-length": String(sizeBytes), [EXACT_LENGTH_HEADER]: String(sizeBytes) };
}
