import type { ImageType } from "./image-type";

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const AVIF_BRANDS = new Set(["avif", "avis"]);
/** HEIC stills (iPhone: major "heic", compatible "mif1", "heic", "miaf"); "heix" is 10-bit. */
const HEIC_BRANDS = new Set(["heic", "heix", "heim", "heis"]);
/** Movies (QuickTime, MP4, 3GP) and HEIF image sequences: not photos. */
const VIDEO_BRANDS = new Set(["qt  ", "isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "M4VP", "3gp4", "3gp5", "3gp6", "3g2a", "msf1", "hevc", "hevx", "dash"]);
// An ftyp box lists a handful of brands; a much larger one is not a photo we want to parse.
const MAX_FTYP_BOX_BYTES = 1024;

/**
 * Recognises an accepted photo format from its leading bytes. The file name and the
 * browser's content type are never trusted: both are chosen by the uploader.
 * Returns null for anything else (GIF, BMP, videos, text, empty or cut-off headers).
 */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, JPEG_MAGIC)) return "jpeg";
  if (startsWith(bytes, PNG_MAGIC)) return "png";
  if (isWebp(bytes)) return "webp";
  const brands = ftypBrands(bytes);
  if (brands === null) return null;
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return "avif";
  if (VIDEO_BRANDS.has(brands[0] ?? "")) return null;
  if (brands.some((brand) => HEIC_BRANDS.has(brand)) || brands[0] === "mif1") return "heic";
  return null;
}

/**
 * True for an ISO-BMFF video: a QuickTime or MP4 movie (a Live Photo's motion part, a phone
 * video) or a HEIF image sequence. Told apart from a refused still image so the uploader hears
 * "videos are not accepted" rather than "not an image".
 */
export function sniffVideo(bytes: Uint8Array): boolean {
  const brands = ftypBrands(bytes);
  return brands !== null && sniffImageType(bytes) === null && brands.some((brand) => VIDEO_BRANDS.has(brand));
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
 * minor version, then compatible brands). Returns the major brand then the compatible ones, or
 * null when there is no well-formed ftyp box.
 */
function ftypBrands(bytes: Uint8Array): string[] | null {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== "ftyp") return null;
  const boxBytes = readUint32BigEndian(bytes, 0);
  if (boxBytes < 16 || boxBytes > MAX_FTYP_BOX_BYTES || boxBytes > bytes.length || boxBytes % 4 !== 0) return null;
  const brands = [ascii(bytes, 8, 4)];
  for (let offset = 16; offset + 4 <= boxBytes; offset += 4) brands.push(ascii(bytes, offset, 4));
  return brands;
}
