import type { ImageType } from "./image-type";

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const AVIF_BRANDS = new Set(["avif", "avis"]);
// An ftyp box lists a handful of brands; a much larger one is not a photo we want to parse.
const MAX_FTYP_BOX_BYTES = 1024;

/**
 * Recognises an accepted photo format from its leading bytes. The file name and the
 * browser's content type are never trusted: both are chosen by the uploader.
 * Returns null for anything else (GIF, BMP, HEIC, text, empty or cut-off headers).
 */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, JPEG_MAGIC)) return "jpeg";
  if (startsWith(bytes, PNG_MAGIC)) return "png";
  if (isWebp(bytes)) return "webp";
  if (isAvif(bytes)) return "avif";
  return null;
}

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((byte, i) => bytes[offset + i] === byte);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function readUint32BigEndian(bytes: Uint8Array, offset: number): number {
  const byteAt = (i: number): number => bytes[offset + i] ?? 0;
  return ((byteAt(0) << 24) | (byteAt(1) << 16) | (byteAt(2) << 8) | byteAt(3)) >>> 0;
}

/** RIFF container, form type WEBP, first chunk one of VP8 / VP8L / VP8X. */
function isWebp(bytes: Uint8Array): boolean {
  if (bytes.length < 16) return false;
  return ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP" && ascii(bytes, 12, 3) === "VP8";
}

/**
 * ISO-BMFF: the file opens with an `ftyp` box (32-bit big-endian size, "ftyp", major brand,
 * minor version, then compatible brands). AVIF stills use brand "avif", sequences "avis";
 * HEIC and other HEIF flavours without an AV1 brand are not accepted.
 */
function isAvif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== "ftyp") return false;
  const boxBytes = readUint32BigEndian(bytes, 0);
  if (boxBytes < 16 || boxBytes > MAX_FTYP_BOX_BYTES || boxBytes > bytes.length || boxBytes % 4 !== 0) return false;
  if (AVIF_BRANDS.has(ascii(bytes, 8, 4))) return true;
  for (let offset = 16; offset + 4 <= boxBytes; offset += 4) {
    if (AVIF_BRANDS.has(ascii(bytes, offset, 4))) return true;
  }
  return false;
}
