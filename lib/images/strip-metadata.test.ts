import { test } from "node:test";
import assert from "node:assert/strict";
import { buildMontage } from "./build-montage";
import { montagePhotoOf } from "./montage-photo";
import { indexOfBytes } from "./bytes";
import { orientationOnlyTiff, parseExifDate, readExifFacts } from "./exif-facts";
import { EXIF_TAG_GPS_POINTER, EXIF_TAG_ORIENTATION, readExifTags } from "./exif-tags";
import { ENCODABLE_TYPES, FIXTURE_CAPTURED_AT_MS, HEIC_FIXTURE_PATH, makePhoto, makePhotoWithPrivateMetadata, PRIVATE_MARKERS } from "./fixtures";
import { readFileSync } from "node:fs";
import { AppError } from "@/lib/errors";
import { listJpegSegments } from "./jpeg-segments";
import { processUpload } from "./process-upload";
import { sharp } from "./sharp-settings";
import { stripMetadata } from "./strip-metadata";
import { DEFAULT_UPLOAD_LIMITS } from "./upload-limits";

/** Asserts none of the fixture's planted private strings is anywhere in `bytes`. */
export function assertNoPrivateMarkers(bytes: Uint8Array, label: string): void {
  for (const [name, marker] of Object.entries(PRIVATE_MARKERS)) {
    assert.equal(indexOfBytes(bytes, new TextEncoder().encode(marker)), -1, `${label}: still holds ${name} (${marker})`);
  }
}

/** Asserts an image's EXIF (if any) holds at most an Orientation: no GPS, no camera directory. */
async function assertExifAtMostOrientation(bytes: Uint8Array, label: string): Promise<void> {
  const { exif, xmp, iptc, comments } = await sharp(bytes).metadata();
  assert.equal(iptc, undefined, `${label}: IPTC`);
  assert.equal(comments, undefined, `${label}: comments`);
  if (xmp) assert.doesNotMatch(xmp.toString("latin1"), /rdf:Description/, `${label}: XMP content`);
  if (exif) {
    const tags = readExifTags(exif);
    assert.deepEqual(tags.gps, [], `${label}: GPS tags`);
    assert.ok(!tags.ifd0.includes(EXIF_TAG_GPS_POINTER), `${label}: a GPS directory`);
    assert.ok(tags.ifd0.every((tag) => tag === EXIF_TAG_ORIENTATION), `${label}: EXIF tags ${tags.ifd0.map((t) => t.toString(16))}`);
  }
}

async function uprightPixels(bytes: Uint8Array): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(bytes, { autoOrient: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

for (const type of ENCODABLE_TYPES) {
  test(`${type}: private metadata removed without re-encoding; upright, capture time read, pixels untouched`, async () => {
    const upload = await makePhotoWithPrivateMetadata({ type, orientation: 6 });
    const before = await sharp(upload).metadata();
    assert.ok(before.exif && readExifTags(before.exif).gps.length > 0, "the fixture carries GPS");
    assert.ok(Object.values(PRIVATE_MARKERS).some((m) => indexOfBytes(upload, new TextEncoder().encode(m)) >= 0), "the fixture carries the planted strings");

    const stripped = await stripMetadata({ bytes: upload, type, widthPx: 32, heightPx: 64, limits: DEFAULT_UPLOAD_LIMITS });
    assert.equal(stripped.reencoded, false, "cleaned in place");
    assert.equal(stripped.facts.capturedAtMs, FIXTURE_CAPTURED_AT_MS);
    assertNoPrivateMarkers(stripped.bytes, `${type} original`);
    await assertExifAtMostOrientation(stripped.bytes, `${type} original`);
    const after = await sharp(stripped.bytes).metadata();
    assert.equal(after.format, before.format);
    assert.equal(after.hasProfile, true, "the colour profile stays");
    assert.deepEqual([after.autoOrient.width, after.autoOrient.height], [32, 64], "still shown upright (portrait)");
    {
      const [a, b] = await Promise.all([uprightPixels(upload), uprightPixels(stripped.bytes)]);
      assert.deepEqual([b.width, b.height], [a.width, a.height]);
      assert.ok(a.data.equals(b.data), "the pixels decode exactly as the upload's");
    }
    // Red was on the left of the stored pixels: turned upright it is on top.
    const { data, width } = await uprightPixels(stripped.bytes);
    const top = data.subarray((2 * width + 16) * 3, (2 * width + 16) * 3 + 3);
    assert.ok((top[0] ?? 0) > 150 && (top[2] ?? 255) < 100, `upright: top is red, got ${[...top]}`);
  });
}

test("jpeg: only the image's own segments are kept, and nothing after its end", async () => {
  const upload = await makePhotoWithPrivateMetadata({ type: "jpeg", orientation: 6 });
  const stripped = await stripMetadata({ bytes: upload, type: "jpeg", widthPx: 32, heightPx: 64, limits: DEFAULT_UPLOAD_LIMITS });
  const markers = listJpegSegments(stripped.bytes).map((s) => s.marker);
  assert.ok(!markers.includes(0xed), "no IPTC (APP13)");
  assert.ok(!markers.includes(0xfe), "no comment");
  assert.equal(markers.filter((m) => m === 0xe1).length, 1, "one APP1: the orientation-only EXIF");
  assert.deepEqual([stripped.bytes.at(-2), stripped.bytes.at(-1)], [0xff, 0xd9], "ends at the end of the image");
});

test("an upright photo keeps no EXIF at all", async () => {
  for (const type of ["jpeg", "png", "webp"] as const) {
    const upload = await makePhotoWithPrivateMetadata({ type, orientation: 1, widthPx: 64, heightPx: 32 });
    const stripped = await stripMetadata({ bytes: upload, type, widthPx: 64, heightPx: 32, limits: DEFAULT_UPLOAD_LIMITS });
    assert.equal((await sharp(stripped.bytes).metadata()).exif, undefined, `${type}: no EXIF`);
  }
});

test("a photo without metadata comes out as it went in (PNG, WebP) or nearly (JPEG: its JFIF header rebuilt)", async () => {
  for (const type of ["png", "webp"] as const) {
    const upload = await makePhoto({ type, widthPx: 40, heightPx: 30 });
    const stripped = await stripMetadata({ bytes: upload, type, widthPx: 40, heightPx: 30, limits: DEFAULT_UPLOAD_LIMITS });
    assert.deepEqual(Buffer.from(stripped.bytes), Buffer.from(upload), type);
    assert.equal(stripped.facts.capturedAtMs, null);
  }
});

test("a JPEG whose structure cannot be cleaned in place is encoded again, still without metadata", async () => {
  const upload = await makePhotoWithPrivateMetadata({ type: "jpeg", orientation: 6 });
  // Junk between two header segments: decoders skip it (with a warning), a segment walk cannot.
  const firstSegmentEnd = 4 + (((upload[4] ?? 0) << 8) | (upload[5] ?? 0));
  const cut = Buffer.concat([upload.subarray(0, firstSegmentEnd), Buffer.from([0x00, 0x13, 0x37]), upload.subarray(firstSegmentEnd)]);
  const stripped = await stripMetadata({ bytes: cut, type: "jpeg", widthPx: 32, heightPx: 64, limits: DEFAULT_UPLOAD_LIMITS });
  assert.equal(stripped.reencoded, true);
  assertNoPrivateMarkers(stripped.bytes, "re-encoded");
  await assertExifAtMostOrientation(stripped.bytes, "re-encoded");
  const metadata = await sharp(stripped.bytes).metadata();
  assert.deepEqual([metadata.width, metadata.height, metadata.orientation ?? 1], [32, 64, 1], "turned upright in its pixels");
});

test("processUpload: nothing private in the original, display, tile or a montage of them", async () => {
  for (const type of ENCODABLE_TYPES) {
    const photo = await processUpload(await makePhotoWithPrivateMetadata({ type }));
    assert.equal(photo.original.type, type);
    assert.equal(photo.capturedAtMs, FIXTURE_CAPTURED_AT_MS);
    const montage = await buildMontage([await montagePhotoOf("ph_1", photo.display.bytes)]);
    for (const [label, bytes] of [["original", photo.original.bytes], ["display", photo.display.bytes], ["tile", photo.tile.bytes], ["montage", montage.bytes]] as const) {
      assertNoPrivateMarkers(bytes, `${type} ${label}`);
      await assertExifAtMostOrientation(bytes, `${type} ${label}`);
    }
  }
});

test("EXIF facts: dates that are not real are unknown; an unreadable block is upright and undated", () => {
  assert.equal(parseExifDate("2026:05:04 13:14:15"), FIXTURE_CAPTURED_AT_MS);
  for (const bad of ["0000:00:00 00:00:00", "2026:02:31 10:00:00", "2026:05:04 25:00:00", "    :  :     :  :  ", "1904:01:01 00:00:00", ""]) {
    assert.equal(parseExifDate(bad), null, bad);
  }
  assert.deepEqual(readExifFacts(new Uint8Array([1, 2, 3])), { orientation: 1, capturedAtMs: null });
  assert.deepEqual(readExifFacts(orientationOnlyTiff(8)), { orientation: 8, capturedAtMs: null });
  assert.throws(() => orientationOnlyTiff(9));
});

test("heic: private metadata removed in place (same length, pixels and offsets untouched), capture time read", async () => {
  const upload = new Uint8Array(readFileSync(HEIC_FIXTURE_PATH));
  const before = await sharp(upload).metadata();
  assert.ok(before.exif && readExifTags(before.exif).gps.length > 0, "the fixture carries GPS");
  assert.ok(indexOfBytes(upload, new TextEncoder().encode(PRIVATE_MARKERS.bodySerial)) >= 0, "and a serial number");
  const stripped = await stripMetadata({ bytes: upload, type: "heic", widthPx: 64, heightPx: 48, limits: DEFAULT_UPLOAD_LIMITS });
  assert.equal(stripped.reencoded, false);
  assert.equal(stripped.bytes.length, upload.length, "nothing moved");
  assert.equal(stripped.facts.capturedAtMs, FIXTURE_CAPTURED_AT_MS);
  assertNoPrivateMarkers(stripped.bytes, "heic original");
  await assertExifAtMostOrientation(stripped.bytes, "heic original");
  const after = await sharp(stripped.bytes).metadata();
  assert.deepEqual([after.format, after.compression, after.width, after.height], ["heif", "hevc", 64, 48]);
});

test("heic: accepted like JPEG — decoded off the event loop, upright, nothing private in any output", async () => {
  const photo = await processUpload(new Uint8Array(readFileSync(HEIC_FIXTURE_PATH)));
  assert.equal(photo.originalType, "heic");
  assert.equal(photo.original.type, "heic", "the original stays HEIC (cleaned in place)");
  assert.deepEqual([photo.widthPx, photo.heightPx, photo.display.widthPx, photo.display.heightPx], [64, 48, 64, 48]);
  assert.equal(photo.capturedAtMs, FIXTURE_CAPTURED_AT_MS);
  const montage = await buildMontage([await montagePhotoOf("ph_1", photo.display.bytes)]);
  for (const [label, bytes] of [["original", photo.original.bytes], ["display", photo.display.bytes], ["tile", photo.tile.bytes], ["montage", montage.bytes]] as const) {
    assertNoPrivateMarkers(bytes, `heic ${label}`);
    await assertExifAtMostOrientation(bytes, `heic ${label}`);
  }
  // Red on the left, blue on the right, as the fixture's pixels are.
  const { data, width } = await uprightPixels(photo.display.bytes);
  const left = data.subarray((24 * width + 4) * 3, (24 * width + 4) * 3 + 3);
  const right = data.subarray((24 * width + 60) * 3, (24 * width + 60) * 3 + 3);
  assert.ok((left[0] ?? 0) > 150 && (right[2] ?? 0) > 150, `left ${[...left]} right ${[...right]}`);
});

test("heic: a file branded HEIC that is something else is 422; a video or Live Photo movie is 415", async () => {
  const ftyp = (major: string, ...brands: string[]) => {
    const box = Buffer.alloc(16 + 4 * brands.length);
    box.writeUInt32BE(box.length, 0);
    box.write(`ftyp${major}`, 4, "latin1");
    brands.forEach((b, i) => box.write(b, 16 + 4 * i, "latin1"));
    return box;
  };
  const fakeHeic = Buffer.concat([ftyp("heic", "mif1", "heic"), Buffer.from("this is text, not a photo".repeat(10))]);
  await assert.rejects(processUpload(fakeHeic), (e: unknown) => e instanceof AppError && e.code === "image_undecodable");
  const movie = Buffer.concat([ftyp("qt  ", "qt  "), Buffer.alloc(200)]);
  await assert.rejects(processUpload(movie), (e: unknown) => e instanceof AppError && e.code === "image_video_unsupported");
  // A real HEIC cut in half: the header may read, the pixels do not.
  const whole = readFileSync(HEIC_FIXTURE_PATH);
  await assert.rejects(processUpload(whole.subarray(0, Math.floor(whole.length * 0.6))), (e: unknown) => e instanceof AppError && e.code === "image_undecodable");
});
