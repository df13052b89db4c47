import { NO_EXIF_FACTS, orientationOnlyTiff, readExifFacts, type ExifFacts } from "./exif-facts";
import { concatBytes, indexOfByte, startsWithAscii } from "./bytes";
import type { StrippedOriginal } from "./stripped-original";

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;
const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;
const isApp = (marker: number) => marker >= 0xe0 && marker <= 0xef;

/**
 * A JPEG without its private metadata, its pixels untouched (no re-encoding: the entropy-coded
 * data is copied byte for byte). Kept: the JFIF header (without its thumbnail), the ICC profile
 * (APP2 "ICC_PROFILE", so colours stay right), Adobe's APP14 (how to read the colour channels)
 * and every table, frame and scan. Dropped: EXIF and XMP (APP1: GPS, camera and lens serials,
 * maker notes, the EXIF thumbnail), other APP2 blocks (MPF, FlashPix), APP3..APP13 (IPTC in
 * APP13), APP15, comments, and anything after the end of the image (the extra images of MPF,
 * vendors' trailers). If the EXIF said the photo must be turned to be upright, a 26-byte EXIF
 * holding only that Orientation is written instead, so it still shows upright.
 * Throws when the structure is not a well-formed JPEG (the caller then re-encodes).
 */
export function stripJpeg(bytes: Uint8Array): StrippedOriginal {
  if (bytes[0] !== 0xff || bytes[1] !== SOI) throw new Error("stripJpeg: no start of image");
  const kept: Uint8Array[] = [];
  let jfif: Uint8Array | null = null;
  let facts: ExifFacts = NO_EXIF_FACTS;
  let offset = 2;
  let inScan = false;
  for (;;) {
    if (inScan) {
      // Entropy-coded data: 0xff is followed by 0x00 (a stuffed byte) or a restart marker,
      // else it starts the next marker (another table or scan of a progressive JPEG, or EOI).
      const scanStart = offset;
      for (;;) {
        const at = indexOfByte(bytes, 0xff, offset);
        if (at < 0 || at + 1 >= bytes.length) throw new Error("stripJpeg: the image data ends before its end marker");
        const next = bytes[at + 1] ?? 0;
        if (next === 0x00 || isRestart(next)) {
          offset = at + 2;
          continue;
        }
        if (next === 0xff) {
          offset = at + 1; // fill byte before a marker
          continue;
        }
        kept.push(bytes.subarray(scanStart, at));
        offset = at;
        break;
      }
      inScan = false;
    }
    if (offset + 2 > bytes.length || bytes[offset] !== 0xff) throw new Error(`stripJpeg: no marker at byte ${offset}`);
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === EOI) {
      kept.push(bytes.subarray(offset, offset + 2));
      break; // whatever follows the image is not kept
    }
    if (isRestart(marker) || marker === 0x01) {
      kept.push(bytes.subarray(offset, offset + 2));
      offset += 2;
      continue;
    }
    if (offset + 4 > bytes.length) throw new Error("stripJpeg: cut-off segment");
    const lengthBytes = ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0);
    const end = offset + 2 + lengthBytes;
    if (lengthBytes < 2 || end > bytes.length) throw new Error(`stripJpeg: segment 0x${marker.toString(16)} overruns the file`);
    const segment = bytes.subarray(offset, end);
    const payload = bytes.subarray(offset + 4, end);
    if (marker === APP0) {
      if (jfif === null && startsWithAscii(payload, "JFIF\0") && payload.length >= 14) jfif = jfifWithoutThumbnail(payload);
      // JFXX (APP0 thumbnails) and the rest of APP0: dropped.
    } else if (marker === APP1) {
      if (startsWithAscii(payload, "Exif\0\0") && facts === NO_EXIF_FACTS) facts = readExifFacts(payload);
      // EXIF and XMP: dropped.
    } else if (marker === APP2) {
      if (startsWithAscii(payload, "ICC_PROFILE\0")) kept.push(segment);
    } else if (marker === APP14) {
      if (startsWithAscii(payload, "Adobe")) kept.push(segment);
    } else if (isApp(marker) || marker === COM) {
      // IPTC (APP13), comments and vendors' blocks: dropped.
    } else {
      kept.push(segment);
      if (marker === SOS) inScan = true;
    }
    offset = end;
  }
  const head: Uint8Array[] = [new Uint8Array([0xff, SOI])];
  if (jfif) head.push(jfif);
  if (facts.orientation !== 1) head.push(exifSegment(orientationOnlyTiff(facts.orientation)));
  return { bytes: concatBytes([...head, ...kept]), facts, reencoded: false };
}

/** The JFIF APP0 segment with its thumbnail (if any) removed: 16 bytes. */
function jfifWithoutThumbnail(payload: Uint8Array): Uint8Array {
  const segment = new Uint8Array(18);
  segment.set([0xff, APP0, 0, 16]);
  segment.set(payload.subarray(0, 12), 4); // "JFIF\0", version, units, densities
  return segment; // thumbnail width and height 0
}

function exifSegment(tiff: Uint8Array): Uint8Array {
  const lengthBytes = 2 + 6 + tiff.length;
  const segment = new Uint8Array(2 + lengthBytes);
  segment.set([0xff, APP1, lengthBytes >> 8, lengthBytes & 0xff]);
  segment.set([0x45, 0x78, 0x69, 0x66, 0, 0], 4); // "Exif\0\0"
  segment.set(tiff, 10);
  return segment;
}
