import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { makeBmp, makeFakeJpeg, makeGif, makePhoto, makePixelBombPng } from "./fixtures";
import { readFileSync } from "node:fs";
import { ENCODABLE_TYPES, HEIC_FIXTURE_PATH } from "./fixtures";
import { IMAGE_TYPES } from "./image-type";
import { sniffImageType, sniffVideo } from "./sniff-image-type";

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const bytes = (...parts: Array<number[] | Uint8Array>): Uint8Array => new Uint8Array(parts.flatMap((part) => [...part]));
const uint32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
/** An ISO-BMFF ftyp box: size, "ftyp", major brand, minor version 0, compatible brands. */
const ftyp = (major: string, ...compatible: string[]): Uint8Array =>
  bytes(uint32(16 + 4 * compatible.length), ascii("ftyp"), ascii(major), uint32(0), ...compatible.map(ascii));

for (const type of ENCODABLE_TYPES) {
  test(`sniffs a real ${type} file as ${type}`, async () => {
    assert.equal(sniffImageType(await makePhoto({ type, seed: 3 })), type);
  });
}

test("sniffs by content, whatever the file would be called", async () => {
  assert.equal(sniffImageType(await makePhoto({ type: "png" })), "png");
  assert.equal(sniffImageType(makePixelBombPng()), "png"); // valid header; the pixel limit refuses it later
  assert.equal(sniffImageType(makeFakeJpeg()), "jpeg"); // looks like a JPEG; decoding refuses it later
});

test("recognises AVIF by its major or any compatible brand", () => {
  assert.equal(sniffImageType(ftyp("avif", "mif1", "miaf")), "avif");
  assert.equal(sniffImageType(ftyp("avis", "msf1")), "avif");
  assert.equal(sniffImageType(ftyp("mif1", "miaf", "avif")), "avif");
});

test("recognises HEIC by its brands, a real iPhone-style file included; videos are told apart", () => {
  assert.equal(sniffImageType(ftyp("heic", "mif1", "heic", "miaf")), "heic");
  assert.equal(sniffImageType(ftyp("heix", "mif1", "heix")), "heic");
  assert.equal(sniffImageType(ftyp("mif1", "heic")), "heic");
  assert.equal(sniffImageType(new Uint8Array(readFileSync(HEIC_FIXTURE_PATH))), "heic");
  assert.equal(sniffVideo(ftyp("qt  ", "qt  ")), true);
  assert.equal(sniffVideo(ftyp("isom", "iso2", "mp41")), true);
  assert.equal(sniffVideo(ftyp("msf1", "hevc")), true);
  assert.equal(sniffVideo(ftyp("heic", "mif1")), false);
  assert.equal(sniffVideo(ftyp("mif1", "avif")), false);
});

const rejects: Array<[string, () => Uint8Array | Promise<Uint8Array>]> = [
  ["empty", () => new Uint8Array(0)],
  ["text", () => ascii("hello, this is a text file pretending to be a photo")],
  ["GIF", () => makeGif()],
  ["BMP", () => makeBmp()],
  ["an MP4 video", () => ftyp("isom", "iso2", "mp41")],
  ["a QuickTime movie (a Live Photo's motion part)", () => ftyp("qt  ", "qt  ")],
  ["a HEIF image sequence", () => ftyp("msf1", "iso8", "hevc")],
  ["a RIFF WAVE file", () => bytes(ascii("RIFF"), uint32(100), ascii("WAVEfmt "))],
  ["a truncated JPEG signature", () => bytes([0xff, 0xd8])],
  ["a truncated PNG signature", () => bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])],
  ["a truncated WebP header", () => bytes(ascii("RIFF"), uint32(100), ascii("WEB"))],
  ["a truncated ftyp box", () => ftyp("avif", "mif1").subarray(0, 14)],
  ["an ftyp box claiming more bytes than the file has", () => bytes(uint32(64), ascii("ftypavif"), uint32(0))],
  ["an ftyp box whose size is not whole brands", () => bytes(uint32(18), ascii("ftypavif"), uint32(0), [0, 0])],
];
for (const [name, make] of rejects) {
  test(`rejects ${name}`, async () => {
    assert.equal(sniffImageType(await make()), null);
  });
}

test("never throws, and only answers an accepted type or null, for any bytes", () => {
  const accepted = new Set<string | null>([...IMAGE_TYPES, null]);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (input) => accepted.has(sniffImageType(input))),
    { numRuns: 2000 },
  );
});

test("reads a view into a larger buffer from its own start", async () => {
  const png = await makePhoto({ type: "png" });
  const padded = new Uint8Array(png.length + 8);
  padded.set(png, 8);
  assert.equal(sniffImageType(padded.subarray(8)), "png");
  assert.equal(sniffImageType(padded), null);
});
