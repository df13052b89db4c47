import { crc32 } from "node:zlib";
import { asciiAt, concatBytes, startsWithAscii } from "./bytes";
import { NO_EXIF_FACTS, orientationOnlyTiff, readExifFacts, type ExifFacts } from "./exif-facts";
import type { StrippedOriginal } from "./stripped-original";

const PNG_SIGNATURE = "\x89PNG\r\n\x1a\n";

/**
 * The chunks a stripped PNG keeps: the image itself, how to read its colours, its pixel
 * density, and APNG's frames. Everything else goes, known or not: text chunks (tEXt, zTXt,
 * iTXt — XMP lives in iTXt), eXIf (GPS, serials), tIME, and private chunks (which may hold
 * anything).
 */
const KEPT_CHUNKS = new Set(["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB", "cICP", "mDCV", "cLLI", "bKGD", "pHYs", "acTL", "fcTL", "fdAT"]);

/**
 * A PNG without its private metadata, the compressed pixels copied as they are. An eXIf chunk
 * is read (orientation, capture time) and dropped; if the photo must be turned to be upright,
 * an eXIf holding only Orientation is written before the image data. Throws when the
 * structure is not a well-formed PNG (the caller then re-encodes).
 */
export function stripPng(bytes: Uint8Array): StrippedOriginal {
  if (!startsWithAscii(bytes, PNG_SIGNATURE)) throw new Error("stripPng: no PNG signature");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let facts: ExifFacts = NO_EXIF_FACTS;
  let exifAt = -1; // where the orientation chunk goes: before the first IDAT
  let offset = 8;
  let ended = false;
  while (!ended) {
    if (offset + 12 > bytes.length) throw new Error("stripPng: the file ends before IEND");
    const lengthBytes = view.getUint32(offset);
    const kind = asciiAt(bytes, offset + 4, 4);
    const end = offset + 12 + lengthBytes;
    if (end > bytes.length) throw new Error(`stripPng: chunk ${kind} overruns the file`);
    if (kind === "eXIf" && facts === NO_EXIF_FACTS) facts = readExifFacts(bytes.subarray(offset + 8, offset + 8 + lengthBytes));
    if (kind === "IDAT" && exifAt < 0) exifAt = kept.length;
    if (KEPT_CHUNKS.has(kind)) kept.push(bytes.subarray(offset, end));
    ended = kind === "IEND";
    offset = end;
  }
  if (exifAt < 0) throw new Error("stripPng: no image data");
  if (facts.orientation !== 1) kept.splice(exifAt, 0, pngChunk("eXIf", orientationOnlyTiff(facts.orientation)));
  return { bytes: concatBytes(kept), facts, reencoded: false };
}

function pngChunk(kind: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) chunk[4 + i] = kind.charCodeAt(i);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}
