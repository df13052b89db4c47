import assert from "node:assert/strict";
import { listJpegSegments } from "./jpeg-segments";
import { sharp } from "./sharp-settings";

// SOI is not listed (it is not a segment); everything else a plain encoder writes.
const PLAIN_JPEG_MARKERS = new Set([
  0xe0, // APP0 JFIF: density only
  0xdb, // quantisation tables
  0xc4, // Huffman tables
  0xc0, // baseline frame
  0xc2, // progressive frame
  0xdd, // restart interval
  0xda, // start of scan
]);

/**
 * Test helper: asserts an output image carries no EXIF (so no GPS or orientation), no XMP,
 * no IPTC, no ICC profile and no comments. Checked twice: by sharp's metadata and, for JPEG,
 * by walking the header segments (APP1 = EXIF/XMP, APP2 = ICC, APP13 = IPTC, COM = comment).
 */
export async function assertStripped(bytes: Uint8Array, label = "image"): Promise<void> {
  const metadata = await sharp(bytes).metadata();
  assert.equal(metadata.exif, undefined, `${label}: has EXIF`);
  assert.equal(metadata.xmp, undefined, `${label}: has XMP`);
  assert.equal(metadata.iptc, undefined, `${label}: has IPTC`);
  assert.equal(metadata.icc, undefined, `${label}: has an ICC profile`);
  assert.equal(metadata.hasProfile, false, `${label}: has an ICC profile`);
  assert.equal(metadata.orientation, undefined, `${label}: has an orientation tag`);
  assert.equal(metadata.comments, undefined, `${label}: has comments`);
  if (metadata.format === "jpeg") {
    const unexpected = listJpegSegments(bytes).filter((segment) => !PLAIN_JPEG_MARKERS.has(segment.marker));
    assert.deepEqual(unexpected.map((s) => `0x${s.marker.toString(16)}`), [], `${label}: has metadata segments`);
  }
}
