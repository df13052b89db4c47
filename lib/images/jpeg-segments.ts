/** One marker segment of a JPEG header, e.g. 0xe1 APP1 (EXIF or XMP), 0xe2 APP2 (ICC). */
export interface JpegSegment {
  readonly marker: number;
  readonly lengthBytes: number;
}

const STANDALONE_MARKERS = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7]);
const START_OF_SCAN = 0xda;

/**
 * The header segments of a JPEG, up to and including the start of scan: where EXIF, XMP,
 * ICC, IPTC and comments live. Reads bytes directly, so it catches metadata that a
 * decoder's summary might not report. Throws on anything that is not a well-formed header.
 */
export function listJpegSegments(bytes: Uint8Array): JpegSegment[] {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error("listJpegSegments: not a JPEG");
  const segments: JpegSegment[] = [];
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw new Error(`listJpegSegments: no marker at byte ${offset}`);
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (STANDALONE_MARKERS.has(marker)) {
      segments.push({ marker, lengthBytes: 0 });
      offset += 2;
      continue;
    }
    const lengthBytes = ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0);
    segments.push({ marker, lengthBytes });
    if (marker === START_OF_SCAN) return segments;
    offset += 2 + lengthBytes;
  }
  throw new Error("listJpegSegments: header ends before the start of scan");
}
