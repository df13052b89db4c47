/** One byte range of a file, inclusive at both ends, as a Range header asks for it. */
export type ByteRange = { start: number; end: number };

/**
 * The single range a `Range` header asks for in a file of `sizeBytes` (RFC 9110 §14): `null` to
 * send the whole file (no header, a unit other than bytes, several ranges, a malformed or
 * inverted range — all of which a server may ignore — or an `If-Range` that does not match
 * `etag`, i.e. the file changed), or "unsatisfiable" (416) when the range starts past the end.
 */
export function byteRange(options: { range: string | null; ifRange: string | null; etag: string; sizeBytes: number }): ByteRange | "unsatisfiable" | null {
  const { range, ifRange, etag, sizeBytes } = options;
  if (range === null) return null;
  if (ifRange !== null && ifRange.trim() !== etag) return null;
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(range.trim());
  if (!match) return null;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return null;
  if (first === "") {
    // "bytes=-N": the last N bytes.
    const suffix = Number(last);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, sizeBytes - suffix), end: sizeBytes - 1 };
  }
  const start = Number(first);
  const end = last === "" ? sizeBytes - 1 : Math.min(Number(last), sizeBytes - 1);
  if (last !== "" && Number(last) < start) return null;
  if (start >= sizeBytes) return "unsatisfiable";
  return { start, end };
}
