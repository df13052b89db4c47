/**
 * The two facts groupshot keeps from a photo's EXIF block, and the one EXIF block it writes.
 * Everything else in EXIF (GPS, camera and lens serial numbers, maker notes, the embedded
 * thumbnail, owner names) is private and never kept: the stripping modules drop the whole
 * block and, when the photo needs turning to be upright, write `orientationOnlyTiff` instead.
 */

export interface ExifFacts {
  /** EXIF Orientation 1..8 (1 = stored upright). */
  readonly orientation: number;
  /**
   * When the photo was taken, as the camera's wall clock read it (DateTimeOriginal, else
   * DateTimeDigitized, else DateTime), in milliseconds as if that wall clock were UTC; null
   * when absent or not a real date. EXIF has no time zone unless OffsetTime* is set, and the
   * ZIP format stores local wall-clock times, so the wall clock is what is kept.
   */
  readonly capturedAtMs: number | null;
}

export const NO_EXIF_FACTS: ExifFacts = { orientation: 1, capturedAtMs: null };

const TAG_ORIENTATION = 0x0112;
const TAG_DATE_TIME = 0x0132;
const TAG_EXIF_POINTER = 0x8769;
const TAG_DATE_TIME_ORIGINAL = 0x9003;
const TAG_DATE_TIME_DIGITIZED = 0x9004;
const TYPE_ASCII = 2;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;
/** More entries than any camera writes in one directory: a sign of garbage, not of a photo. */
const MAX_DIRECTORY_ENTRIES = 1_000;
/** Plausible capture years; anything else (0000:00:00, 1904 defaults of broken clocks) is "unknown". */
const MIN_CAPTURE_YEAR = 1990;
const MAX_CAPTURE_YEAR = 2200;

/**
 * Reads orientation and capture time from a TIFF structure (what follows "Exif\0\0" in a JPEG
 * APP1, a PNG eXIf chunk, a WebP EXIF chunk or a HEIF Exif item). An "Exif\0\0" prefix is
 * skipped. Never throws: an unreadable block gives NO_EXIF_FACTS (the photo is then taken as
 * upright, which is what a viewer that cannot read it would show too).
 */
export function readExifFacts(block: Uint8Array): ExifFacts {
  try {
    return readFacts(block);
  } catch {
    return NO_EXIF_FACTS;
  }
}

function readFacts(block: Uint8Array): ExifFacts {
  const start = block.length >= 6 && String.fromCharCode(...block.subarray(0, 4)) === "Exif" ? 6 : 0;
  const tiff = new DataView(block.buffer, block.byteOffset + start, block.length - start);
  const order = tiff.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) return NO_EXIF_FACTS;
  const little = order === 0x4949;
  if (tiff.getUint16(2, little) !== 42) return NO_EXIF_FACTS;

  const directory = (offset: number): Map<number, { type: number; count: number; valueAt: number }> => {
    const entries = new Map<number, { type: number; count: number; valueAt: number }>();
    const count = tiff.getUint16(offset, little);
    if (count > MAX_DIRECTORY_ENTRIES) return entries;
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      entries.set(tiff.getUint16(at, little), { type: tiff.getUint16(at + 2, little), count: tiff.getUint32(at + 4, little), valueAt: at + 8 });
    }
    return entries;
  };
  const ascii = (entry: { type: number; count: number; valueAt: number } | undefined): string | null => {
    if (!entry || entry.type !== TYPE_ASCII || entry.count < 19 || entry.count > 64) return null;
    const at = entry.count <= 4 ? entry.valueAt : tiff.getUint32(entry.valueAt, little);
    let text = "";
    for (let i = 0; i < 19; i++) text += String.fromCharCode(tiff.getUint8(at + i));
    return text;
  };

  const ifd0 = directory(tiff.getUint32(4, little));
  const orientationEntry = ifd0.get(TAG_ORIENTATION);
  let orientation = 1;
  if (orientationEntry && orientationEntry.type === TYPE_SHORT) orientation = tiff.getUint16(orientationEntry.valueAt, little);
  else if (orientationEntry && orientationEntry.type === TYPE_LONG) orientation = tiff.getUint32(orientationEntry.valueAt, little);
  if (!(orientation >= 1 && orientation <= 8)) orientation = 1;

  const exifPointer = ifd0.get(TAG_EXIF_POINTER);
  const exif = exifPointer ? directory(tiff.getUint32(exifPointer.valueAt, little)) : new Map();
  const candidates = [ascii(exif.get(TAG_DATE_TIME_ORIGINAL)), ascii(exif.get(TAG_DATE_TIME_DIGITIZED)), ascii(ifd0.get(TAG_DATE_TIME))];
  const capturedAtMs = candidates.map(parseExifDate).find((ms) => ms !== null) ?? null;
  return { orientation, capturedAtMs };
}

/** "YYYY:MM:DD HH:MM:SS" → ms as if UTC, or null when it is not a real date and time. */
export function parseExifDate(text: string | null): number | null {
  if (text === null) return null;
  const match = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  if (year < MIN_CAPTURE_YEAR || year > MAX_CAPTURE_YEAR) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  // Date.UTC rolls 02-31 over into March: only a date that reads back the same is real.
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || back.getUTCHours() !== hour || back.getUTCMinutes() !== minute || back.getUTCSeconds() !== second) return null;
  return ms;
}

/**
 * A TIFF structure holding one tag, Orientation: what a stripped photo keeps of its EXIF so
 * that viewers still show it upright without its pixels being re-encoded. 26 bytes,
 * little-endian: header (8), one directory of one entry (2 + 12), no next directory (4).
 */
export function orientationOnlyTiff(orientation: number): Uint8Array {
  if (!Number.isInteger(orientation) || orientation < 1 || orientation > 8) throw new Error(`orientationOnlyTiff: ${orientation} is not an EXIF orientation`);
  const bytes = new Uint8Array(26);
  const view = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49, 42, 0], 0);
  view.setUint32(4, 8, true); // IFD0 right after the header
  view.setUint16(8, 1, true); // one entry
  view.setUint16(10, TAG_ORIENTATION, true);
  view.setUint16(12, TYPE_SHORT, true);
  view.setUint32(14, 1, true); // one value, stored in the entry itself
  view.setUint16(18, orientation, true);
  view.setUint32(22, 0, true); // no IFD1 (where the EXIF thumbnail would be)
  return bytes;
}
