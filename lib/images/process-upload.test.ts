import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { assertStripped } from "./assert-stripped";
import { encodeDisplay } from "./encode-display";
import { EXIF_TAG_ORIENTATION, readExifTags } from "./exif-tags";
import {
  DISPLAY_P3_FIXTURE_SRGB,
  DISPLAY_P3_HEIC_FIXTURE_PATH,
  ENCODABLE_TYPES,
  makeBmp,
  makeFakeJpeg,
  makeGif,
  makeJpegWithMetadata,
  makeOversizedJpeg,
  makePhoto,
  makePixelBombPng,
  makeTruncatedJpeg,
  makeTwelveMegapixelJpeg,
} from "./fixtures";
import { AppError, type ImageCode } from "@/lib/errors";
import { DISPLAY_MAX_EDGE_PX, TILE_EDGE_PX } from "./image-sizes";
import { processUpload } from "./process-upload";
import { sharp } from "./sharp-settings";
import { DEFAULT_UPLOAD_LIMITS } from "./upload-limits";

async function assertRefused(upload: Promise<unknown>, code: ImageCode): Promise<void> {
  await assert.rejects(upload, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.ok(error.message.length > 0);
    return true;
  });
}

async function pixelAt(jpeg: Uint8Array, xPx: number, yPx: number): Promise<number[]> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const offset = (yPx * info.width + xPx) * info.channels;
  return [...data.subarray(offset, offset + 3)];
}

function assertColourNear(actual: number[], expected: number[], tolerance: number): void {
  actual.forEach((value, i) => assert.ok(Math.abs(value - (expected[i] ?? 0)) <= tolerance, `${actual} is not near ${expected}`));
}

for (const type of ENCODABLE_TYPES) {
  test(`accepts ${type}: display, tile and hashes`, async () => {
    const original = await makePhoto({ type, widthPx: 120, heightPx: 80, seed: 5 });
    const photo = await processUpload(original);
    assert.equal(photo.originalType, type);
    assert.equal(photo.originalSizeBytes, original.length);
    assert.equal(photo.originalSha256, createHash("sha256").update(original).digest("hex"));
    assert.deepEqual([photo.widthPx, photo.heightPx], [120, 80]);
    assert.deepEqual([photo.display.widthPx, photo.display.heightPx], [120, 80], "small photos are not enlarged");
    assert.deepEqual([photo.tile.widthPx, photo.tile.heightPx], [TILE_EDGE_PX, TILE_EDGE_PX]);
    for (const output of [photo.display, photo.tile]) {
      assert.equal(output.sha256, createHash("sha256").update(output.bytes).digest("hex"));
      const metadata = await sharp(output.bytes).metadata();
      assert.equal(metadata.format, "jpeg");
      assert.deepEqual([metadata.width, metadata.height], [output.widthPx, output.heightPx]);
      await assertStripped(output.bytes, `${type} output`);
    }
    assert.equal((await sharp(photo.display.bytes).metadata()).isProgressive, true);
  });
}

test("shrinks the display image to the long-edge limit, keeping the aspect ratio", async () => {
  const photo = await processUpload(await makePhoto({ widthPx: 3000, heightPx: 1000 }));
  assert.deepEqual([photo.display.widthPx, photo.display.heightPx], [DISPLAY_MAX_EDGE_PX, 853]);
  assert.deepEqual([photo.widthPx, photo.heightPx], [3000, 1000]);
});

test("413 for more bytes than the limit, checked before anything else", async () => {
  const original = await makePhoto({ seed: 2 });
  await assertRefused(processUpload(original, { ...DEFAULT_UPLOAD_LIMITS, maxBytes: original.length - 1 }), "image_too_large");
  await processUpload(original, { ...DEFAULT_UPLOAD_LIMITS, maxBytes: original.length }); // exactly the limit is fine
  const oversized = await makeOversizedJpeg();
  assert.equal(oversized.length, DEFAULT_UPLOAD_LIMITS.maxBytes + 1);
  await assertRefused(processUpload(oversized), "image_too_large");
  // The same photo with its padding is accepted under a higher limit: only the size was wrong.
  await processUpload(oversized, { ...DEFAULT_UPLOAD_LIMITS, maxBytes: oversized.length });
});

test("415 for anything that is not JPEG, PNG, WebP or AVIF by its bytes", async () => {
  for (const bytes of [new Uint8Array(0), new TextEncoder().encode("just text"), await makeGif(), makeBmp()]) {
    await assertRefused(processUpload(bytes), "image_type_unsupported");
  }
});

test("422 for a fake image and for a truncated JPEG", async () => {
  await assertRefused(processUpload(makeFakeJpeg()), "image_undecodable");
  await assertRefused(processUpload(await makeTruncatedJpeg()), "image_undecodable");
});

test("422 for a decompression bomb, refused from its header without decoding", async () => {
  const bomb = makePixelBombPng();
  assert.ok(bomb.length < 200_000, `the bomb is small (${bomb.length} bytes)`);
  const startedMs = performance.now();
  await assertRefused(processUpload(bomb), "image_too_many_pixels");
  assert.ok(performance.now() - startedMs < 2000, "refused quickly, so nothing was decoded");
});

test("422 above a configured pixel limit, and for images too small to be photos", async () => {
  const photo = await makePhoto({ widthPx: 100, heightPx: 100 });
  await assertRefused(processUpload(photo, { ...DEFAULT_UPLOAD_LIMITS, maxPixels: 9_999 }), "image_too_many_pixels");
  await processUpload(photo, { ...DEFAULT_UPLOAD_LIMITS, maxPixels: 10_000 });
  await assertRefused(processUpload(await makePhoto({ type: "png", widthPx: 15, heightPx: 200 })), "image_too_small");
  await processUpload(await makePhoto({ type: "png", widthPx: 16, heightPx: 16 }));
});

test("the metadata fixture really carries orientation, GPS, XMP and ICC", async () => {
  const metadata = await sharp(await makeJpegWithMetadata()).metadata();
  assert.equal(metadata.orientation, 6);
  assert.ok(metadata.exif && metadata.xmp && metadata.icc);
  const tags = readExifTags(metadata.exif);
  assert.ok(tags.ifd0.includes(EXIF_TAG_ORIENTATION));
  assert.ok(tags.gps.length >= 4, `GPS tags: ${tags.gps}`);
});

test("honours EXIF orientation and strips EXIF, GPS, XMP and ICC", async () => {
  // Stored 64 × 32, red left and blue right; orientation 6 displays it 32 × 64, red on top.
  const photo = await processUpload(await makeJpegWithMetadata({ widthPx: 64, heightPx: 32, orientation: 6 }));
  assert.deepEqual([photo.widthPx, photo.heightPx], [32, 64]);
  assert.deepEqual([photo.display.widthPx, photo.display.heightPx], [32, 64]);
  // The fixture's pixels are sRGB (220, 20, 20) stored in Display P3: back in sRGB they must
  // be red again, not the P3 numbers read as if they were sRGB.
  assertColourNear(await pixelAt(photo.display.bytes, 16, 4), [220, 20, 20], 16);
  assertColourNear(await pixelAt(photo.display.bytes, 16, 60), [20, 20, 220], 16);
  await assertStripped(photo.display.bytes, "display");
  await assertStripped(photo.tile.bytes, "tile");
});

test("flattens transparency onto white and turns greyscale into RGB", async () => {
  const transparent = await sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
  const fromTransparent = await processUpload(transparent);
  assertColourNear(await pixelAt(fromTransparent.display.bytes, 16, 16), [255, 255, 255], 2);
  const grey = await sharp(await makePhoto({ type: "png" })).toColourspace("b-w").png().toBuffer();
  assert.equal((await sharp(grey).metadata()).channels, 1);
  const fromGrey = await processUpload(grey);
  assert.equal((await sharp(fromGrey.display.bytes).metadata()).channels, 3);
  assert.equal((await sharp(fromGrey.tile.bytes).metadata()).channels, 3);
});

test("recognises duplicates by the original bytes", async () => {
  const [a, aAgain, b] = await Promise.all([makePhoto({ seed: 7 }), makePhoto({ seed: 7 }), makePhoto({ seed: 8 })]);
  const [photoA, photoAAgain, photoB] = await Promise.all([processUpload(a), processUpload(aAgain), processUpload(b)]);
  assert.equal(photoA.originalSha256, photoAAgain.originalSha256);
  assert.notEqual(photoA.originalSha256, photoB.originalSha256);
  assert.notEqual(photoA.tile.sha256, photoB.tile.sha256);
});

test("is deterministic: same bytes in, byte-identical display and tile out, whatever the threads or SIMD", async (t) => {
  const original = await makePhoto({ widthPx: 2000, heightPx: 1500, seed: 11, noiseAmplitude: 12 });
  const fingerprint = async (): Promise<string> => {
    const photo = await processUpload(original);
    return `${photo.display.sha256} ${photo.tile.sha256}`;
  };
  const first = await fingerprint();
  assert.equal(await fingerprint(), first);
  const threads = sharp.concurrency();
  t.after(() => {
    sharp.concurrency(threads);
    sharp.simd(true);
  });
  sharp.concurrency(1);
  assert.equal(await fingerprint(), first, "1 thread per image");
  sharp.simd(false);
  assert.equal(await fingerprint(), first, "without SIMD, as on a host with another CPU");
});

test("timing: processUpload of a 12-megapixel JPEG (printed, not asserted)", async () => {
  const original = await makeTwelveMegapixelJpeg();
  await processUpload(original); // warm up
  const durationsMs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const startedMs = performance.now();
    const photo = await processUpload(original);
    durationsMs.push(performance.now() - startedMs);
    assert.deepEqual([photo.display.widthPx, photo.display.heightPx], [2560, 1920]);
  }
  durationsMs.sort((a, b) => a - b);
  console.log(
    `processUpload 12 MP JPEG (${(original.length / 1e6).toFixed(1)} MB): median ${durationsMs[2]?.toFixed(0)} ms, ` +
      `min ${durationsMs[0]?.toFixed(0)} ms over 5 runs`,
  );
});

test("the decoders keep libvips' own pixel limit as a second line of defence", async () => {
  await assert.rejects(encodeDisplay({ kind: "encoded", bytes: makePixelBombPng(), limits: DEFAULT_UPLOAD_LIMITS }), /pixel limit/);
});

test("reads a Uint8Array view into a larger buffer as just its own bytes", async () => {
  const png = await makePhoto({ type: "png", seed: 4 });
  const padded = new Uint8Array(png.length + 100);
  padded.set(png, 50);
  const [whole, view] = await Promise.all([processUpload(png), processUpload(padded.subarray(50, 50 + png.length))]);
  assert.equal(view.originalSha256, whole.originalSha256);
  assert.equal(view.tile.sha256, whole.tile.sha256);
});

test("heic in Display P3 (an iPhone's): display image and tile converted to sRGB with its profile, not taken as sRGB", async () => {
  const bytes = new Uint8Array(readFileSync(DISPLAY_P3_HEIC_FIXTURE_PATH));
  const photo = await processUpload(bytes);
  const centreOfHalves = async (jpeg: Uint8Array) => {
    const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const at = (x: number) => Array.from(data.subarray((Math.floor(info.height / 2) * info.width + x) * 3, (Math.floor(info.height / 2) * info.width + x) * 3 + 3));
    return { left: at(Math.floor(info.width / 4)), right: at(Math.floor((3 * info.width) / 4)) };
  };
  const farthest = (a: readonly number[], b: readonly number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
  for (const [label, image] of [["display", photo.display.bytes], ["tile", photo.tile.bytes]] as const) {
    const seen = await centreOfHalves(image);
    for (const half of ["left", "right"] as const) {
      // HEVC and JPEG are lossy: a few levels; the P3 values shown as sRGB are ~50 levels off.
      assert.ok(farthest(seen[half], DISPLAY_P3_FIXTURE_SRGB[half]) <= 6, `${label} ${half}: ${seen[half]} vs sRGB ${DISPLAY_P3_FIXTURE_SRGB[half]}`);
    }
  }
  // The original stays the HEIC with its profile, so a viewer shows the same colours.
  assert.equal(photo.original.type, "heic");
  assert.ok((await sharp(photo.original.bytes).metadata()).icc, "the original keeps its colour profile");
});
