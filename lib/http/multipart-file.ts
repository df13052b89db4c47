import { AppError } from "@/lib/errors";

/**
 * The bytes of one file field of a multipart/form-data body, as a view into the body: no copy,
 * no Blob or File objects, no JavaScript byte loops (boundaries are found with Buffer.indexOf,
 * native). Parsing a 12 MP upload with Request.formData() and File.arrayBuffer() took ~12 ms
 * on the event loop and made three more copies of the photo; this takes well under 1 ms.
 *
 * Returns null when the body has no part named `field` with a filename (not a file), and
 * throws AppError("malformed_multipart") when the body is not well-formed multipart for its boundary.
 */
export function multipartFile(body: Uint8Array, contentType: string, field: string): Uint8Array | null {
  const boundary = boundaryOf(contentType);
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`, "latin1");
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`, "latin1");
  let at = buffer.indexOf(delimiter);
  if (at !== 0) {
    // A preamble is allowed; the first delimiter then starts on a line of its own.
    at = buffer.indexOf(nextDelimiter);
    if (at < 0) throw malformed("no boundary in the body");
    at += 2;
  }
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (buffer[afterDelimiter] === 0x2d && buffer[afterDelimiter + 1] === 0x2d) return null; // "--": the end
    if (buffer[afterDelimiter] !== 0x0d || buffer[afterDelimiter + 1] !== 0x0a) throw malformed("malformed boundary line");
    const headersStart = afterDelimiter + 2;
    const headersEnd = buffer.indexOf("\r\n\r\n", headersStart, "latin1");
    if (headersEnd < 0) throw malformed("part headers do not end");
    const contentStart = headersEnd + 4;
    const contentEnd = buffer.indexOf(nextDelimiter, contentStart);
    if (contentEnd < 0) throw malformed("part does not end");
    const disposition = partDisposition(buffer.toString("utf8", headersStart, headersEnd));
    if (disposition.name === field && disposition.isFile) return body.subarray(contentStart, contentEnd);
    at = contentEnd + 2;
  }
}

function boundaryOf(contentType: string): string {
  const [type, ...params] = contentType.split(";");
  if (type?.trim().toLowerCase() !== "multipart/form-data") throw malformed("not multipart/form-data");
  for (const param of params) {
    const eq = param.indexOf("=");
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "boundary") continue;
    const value = unquote(param.slice(eq + 1).trim());
    if (value.length >= 1 && value.length <= 70) return value;
  }
  throw malformed("no boundary parameter");
}

/** The name and whether it is a file (has a filename), from a part's Content-Disposition. */
function partDisposition(headers: string): { name: string | null; isFile: boolean } {
  for (const line of headers.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0 || line.slice(0, colon).trim().toLowerCase() !== "content-disposition") continue;
    const params = new Map<string, string>();
    // form-data; name="photo"; filename="a;b.jpg" — semicolons may sit inside quotes.
    for (const match of line.slice(colon + 1).matchAll(/;\s*([A-Za-z0-9_*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
      params.set((match[1] ?? "").toLowerCase(), unquote((match[2] ?? "").trim()));
    }
    return { name: params.get("name") ?? null, isFile: params.has("filename") || params.has("filename*") };
  }
  return { name: null, isFile: false };
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value;
}

function malformed(what: string): AppError {
  return new AppError("malformed_multipart", `The multipart body could not be read: ${what}.`);
}
