import "server-only";
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { byteRange, type ByteRange } from "./byte-range";
import { exactLengthHeaders } from "./exact-length";

export type DownloadFile = {
  sizeBytes: number;
  contentType: string;
  /** A strong validator: the content hash for a blob. */
  etag: string;
  /** The name a browser saves it under. */
  filename: string;
  /** Cacheable by anyone (published) or by this browser only. */
  isPublic: boolean;
  /** The bytes, or one range of them; destroyed when the client goes away. */
  open: (range?: ByteRange) => Readable;
  /** Whether Range requests are served (a single file) or not (a generated archive). */
  ranges: boolean;
};

/**
 * A file as a streamed download: `Content-Length` always (exactLengthHeaders: it survives Next.js), `206` with `Content-Range` for a
 * single range when `ranges` (else `Accept-Ranges: none`), `416` (JSON error) for a range past
 * the end. The body is read as the client reads it; a client that disconnects destroys the
 * stream (its file closes, nothing more is read).
 */
export function fileResponse(request: Request, file: DownloadFile): Response {
  const etag = `"${file.etag}"`;
  const range = file.ranges ? byteRange({ range: request.headers.get("range"), ifRange: request.headers.get("if-range"), etag, sizeBytes: file.sizeBytes }) : null;
  if (range === "unsatisfiable") {
    throw new AppError("range_not_satisfiable", `The file is ${file.sizeBytes} bytes long.`, { details: { sizeBytes: file.sizeBytes } });
  }
  const headers = new Headers({
    "content-type": file.contentType,
    ...exactLengthHeaders(range ? range.end - range.start + 1 : file.sizeBytes),
    "accept-ranges": file.ranges ? "bytes" : "none",
    etag,
    "cache-control": file.isPublic ? "public, max-age=3600" : "private, max-age=3600",
    "content-disposition": contentDisposition(file.filename),
  });
  if (range) headers.set("content-range", `bytes ${range.start}-${range.end}/${file.sizeBytes}`);
  if (request.method === "HEAD") return new Response(null, { status: range ? 206 : 200, headers });
  const stream = file.open(range ?? undefined);
  request.signal.addEventListener("abort", () => stream.destroy(), { once: true });
  // Readable.toWeb: back-pressure both ways, and cancelling the web stream destroys the Node one.
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status: range ? 206 : 200, headers });
}

/** `attachment` with an ASCII fallback name and the real one in UTF-8 (RFC 6266 / 8187). */
export function contentDisposition(filename: string): string {
  const ascii = filename.normalize("NFKD").replace(/[^\x20-\x7e]/g, "").replace(/["\\]/g, "") || "download";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
