import { asciiAt, concatBytes, startsWithAscii } from "./bytes";
import { NO_EXIF_FACTS, orientationOnlyTiff, readExifFacts, type ExifFacts } from "./exif-facts";
import type { StrippedOriginal } from "./stripped-original";

/** The chunks of a WebP file that are the image (and its colours); EXIF, XMP and unknown chunks go. */
const KEPT_CHUNKS = new Set(["VP8X", "ICCP", "ANIM", "ANMF", "ALPH", "VP8 ", "VP8L"]);
const FLAG_XMP = 0x04;
const FLAG_EXIF = 0x08;

/**
 * A WebP without its private metadata, the compressed pixels copied as they are: the EXIF and
 * "XMP " chunks (and unknown ones) are removed and the extended header's flags say so. A
 * simple WebP (no VP8X header) cannot carry metadata and is returned unchanged. If the EXIF
 * said the photo must be turned, an EXIF chunk holding only Orientation is written at the end
 * (where the format puts EXIF). Throws on a malformed container (the caller then re-encodes).
 */
export function stripWebp(bytes: Uint8Array): StrippedOriginal {
  if (!startsWithAscii(bytes, "RIFF") || !startsWithAscii(bytes, "WEBP", 8)) throw new Error("stripWebp: not a RIFF WEBP file");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffEnd = Math.min(bytes.length, 8 + view.getUint32(4, true));
  const chunks: Uint8Array[] = [];
  let facts: ExifFacts = NO_EXIF_FACTS;
  let offset = 12;
  while (offset + 8 <= riffEnd) {
    const kind = asciiAt(bytes, offset, 4);
    const sizeBytes = view.getUint32(offset + 4, true);
    const end = offset + 8 + sizeBytes + (sizeBytes % 2); // chunks are padded to an even size
    if (offset + 8 + sizeBytes > riffEnd) throw new Error(`stripWebp: chunk ${kind} overruns the file`);
    if (kind === "EXIF" && facts === NO_EXIF_FACTS) facts = readExifFacts(bytes.subarray(offset + 8, offset + 8 + sizeBytes));
    if (KEPT_CHUNKS.has(kind)) chunks.push(bytes.slice(offset, Math.min(end, riffEnd)));
    offset = end;
  }
  const header = chunks[0];
  if (!header || chunks.length < 1) throw new Error("stripWebp: no image chunk");
  if (asciiAt(header, 0, 4) !== "VP8X") {
    // A simple file: one VP8 or VP8L chunk, no room for metadata.
    return { bytes: riffOf(chunks), facts: NO_EXIF_FACTS, reencoded: false };
  }
  // `slice` above: the flags are changed on a copy, never on the upload.
  header[8] = (header[8] ?? 0) & ~(FLAG_XMP | FLAG_EXIF);
  if (facts.orientation !== 1) {
    header[8] = (header[8] ?? 0) | FLAG_EXIF;
    chunks.push(webpChunk("EXIF", orientationOnlyTiff(facts.orientation)));
  }
  return { bytes: riffOf(chunks), facts, reencoded: false };
}

function riffOf(chunks: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(chunks);
  const out = new Uint8Array(12 + body.length);
  out.set([0x52, 0x49, 0x46, 0x46], 0); // "RIFF"
  new DataView(out.buffer).setUint32(4, 4 + body.length, true);
  out.set([0x57, 0x45, 0x42, 0x50], 8); // "WEBP"
  out.set(body, 12);
  return out;
}

function webpChunk(kind: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(8 + data.length + (data.length % 2));
  for (let i = 0; i < 4; i++) chunk[i] = kind.charCodeAt(i);
  new DataView(chunk.buffer).setUint32(4, data.length, true);
  chunk.set(data, 8);
  return chunk;
}
