import { exactLengthHeaders } from "./exact-length";

/** An image as stored: its bytes, its content hash (the ETag) and the name a download gets. */
export type ImageFile = { bytes: Buffer; etag: string; filename: string; isPublic?: boolean };

export function imageResponse(file: ImageFile, options: { download?: boolean } = {}): Response {
  // A view of the bytes read from disk (their own buffer), not a copy of them.
  const body = new Uint8Array(file.bytes.buffer as ArrayBuffer, file.bytes.byteOffset, file.bytes.byteLength);
  return new Response(body, {
    headers: {
      "content-type": "image/jpeg",
      ...exactLengthHeaders(file.bytes.byteLength),
      etag: `"${file.etag}"`,
      // Content-addressed: the bytes behind a URL never change.
      "cache-control": file.isPublic ? "public, max-age=31536000, immutable" : "private, max-age=31536000, immutable",
      ...(options.download ? { "content-disposition": `attachment; filename="${file.filename}"` } : {}),
    },
  });
}
