/**
 * In-memory test images, for the unit tests here and for API tests elsewhere. No files on
 * disk, no text rendering (fonts differ between machines): colour patterns from a seed, so
 * different seeds give different bytes and the same seed always gives the same bytes.
 */
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import type { ImageType } from "./image-type";
import { sharp } from "./sharp-settings";
import { DEFAULT_UPLOAD_LIMITS } from "./upload-limits";

/** The accepted types sharp can write here (its prebuilt libvips has no HEVC encoder). */
export const ENCODABLE_TYPES = ["jpeg", "png", "webp", "avif"] as const satisfies readonly ImageType[];
export type EncodableType = (typeof ENCODABLE_TYPES)[number];

/**
 * A committed HEIC (64 × 48, 1950 bytes) carrying the private metadata of
 * makePhotoWithPrivateMetadata (EXIF: GPS, body and lens serials, owner, capture time; XMP): made
 * once by `scripts/make-heic-fixture.sh` with Debian's heif-enc (libheif 1.15, x265), because
 * nothing here can encode HEVC at test time.
 */
export const HEIC_FIXTURE_PATH = join(process.cwd(), "lib", "images", "fixture-files", "private-metadata.heic");

/**
 * A committed HEIC (64 × 48) in Display P3, as iPhones write them: its stored pixel values are
 * the P3 coordinates of two sRGB colours, DISPLAY_P3_FIXTURE_SRGB (left half, right half), and
 * it carries the P3 profile. Made by `scripts/make-heic-fixture.sh` like HEIC_FIXTURE_PATH.
 */
export const DISPLAY_P3_HEIC_FIXTURE_PATH = join(process.cwd(), "lib", "images", "fixture-files", "display-p3.heic");
export const DISPLAY_P3_FIXTURE_SRGB = { left: [30, 170, 60], right: [200, 60, 150] } as const;

export interface PhotoFixtureOptions {
  readonly type?: EncodableType;
  readonly widthPx?: number;
  readonly heightPx?: number;
  /** Changes the colours (and noise), hence the bytes. */
  readonly seed?: number;
  /** Per-pixel noise amplitude 0..127: 0 compresses to almost nothing, ~12 is photo-like. */
  readonly noiseAmplitude?: number;
}

/** A small image of an accepted type: a seeded two-colour gradient with a few blocks. */
export async function makePhoto(options: PhotoFixtureOptions = {}): Promise<Uint8Array> {
  const { type = "jpeg", widthPx = 64, heightPx = 48, seed = 1, noiseAmplitude = 0 } = options;
  const pixels = patternPixels({ widthPx, heightPx, seed, noiseAmplitude });
  const image = sharp(pixels, { raw: { width: widthPx, height: heightPx, channels: 3 } });
  return encodeAs(image, type);
}

/** A 4000 × 3000 (12 MP) photo-like JPEG, the size a phone produces, for benchmarks. */
export function makeTwelveMegapixelJpeg(seed = 1): Promise<Uint8Array> {
  return makePhoto({ type: "jpeg", widthPx: 4000, heightPx: 3000, seed, noiseAmplitude: 12 });
}

export interface ExifPhotoOptions {
  readonly widthPx?: number;
  readonly heightPx?: number;
  /** EXIF Orientation 1..8; 6 means "rotate 90° clockwise to display", as phones write it. */
  readonly orientation?: number;
}

/**
 * A JPEG that carries everything processUpload must remove: EXIF (camera make, an
 * Orientation tag, a GPS position), XMP and a Display P3 ICC profile.
 * The stored pixels are red on the left half and blue on the right half, so after honouring
 * orientation 6 the displayed image is red on top and blue at the bottom.
 */
export async function makeJpegWithMetadata(options: ExifPhotoOptions = {}): Promise<Uint8Array> {
  const { widthPx = 64, heightPx = 32, orientation = 6 } = options;
  const pixels = new Uint8Array(widthPx * heightPx * 3);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      const offset = (y * widthPx + x) * 3;
      pixels.set(x < widthPx / 2 ? [220, 20, 20] : [20, 20, 220], offset);
    }
  }
  const bytes = await sharp(pixels, { raw: { width: widthPx, height: heightPx, channels: 3 } })
    .withIccProfile("p3")
    .withExif({
      IFD0: { Make: "GroupshotTestCam", Model: "Fixture 1" },
      // libvips numbers the GPS directory IFD3.
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 2400/100", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 300/100" },
    })
    .withMetadata({ orientation })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
    .jpeg({ quality: 95 })
    .toBuffer();
  return bytes;
}

/** Starts like a JPEG (so it sniffs as one) but is text: must be refused as undecodable. */
export function makeFakeJpeg(): Uint8Array {
  const header = [0xff, 0xd8, 0xff, 0xe0];
  return new Uint8Array([...header, ...new TextEncoder().encode("this is not a photo, it is text")]);
}

/** The first half of a real JPEG, as an interrupted upload would leave it. */
export async function makeTruncatedJpeg(seed = 1): Promise<Uint8Array> {
  const whole = await makePhoto({ type: "jpeg", widthPx: 256, heightPx: 256, seed, noiseAmplitude: 20 });
  return whole.slice(0, Math.floor(whole.length / 2));
}

/**
 * A real JPEG padded with zeros after its end marker to at least `minSizeBytes` (default:
 * one byte over the default upload limit), so a 413 test cannot pass for another reason.
 */
export async function makeOversizedJpeg(minSizeBytes = DEFAULT_UPLOAD_LIMITS.maxBytes + 1): Promise<Uint8Array> {
  const jpeg = await makePhoto({ type: "jpeg" });
  const padded = new Uint8Array(Math.max(minSizeBytes, jpeg.length));
  padded.set(jpeg);
  return padded;
}

const bombCache = new Map<number, Uint8Array>();

/**
 * A decompression bomb: a valid PNG of edgePx × edgePx pixels (default 20000 × 20000 =
 * 400 MP, ~1.2 GB as RGB) of one colour, which compresses to a few tens of kilobytes.
 * Built by hand as 1-bit greyscale so generating it needs only ~50 MB and a fraction of a
 * second; cached because tests ask for it more than once.
 */
export function makePixelBombPng(edgePx = 20_000): Uint8Array {
  const cached = bombCache.get(edgePx);
  if (cached) return cached;
  const rowBytes = 1 + Math.ceil(edgePx / 8); // filter byte (0 = none) + packed 1-bit pixels
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, edgePx);
  view.setUint32(4, edgePx);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, filter 0, no interlace
  const png = concatBytes([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(new Uint8Array(rowBytes * edgePx))),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
  bombCache.set(edgePx, png);
  return png;
}

/** A GIF: a real image format that groupshot does not accept. */
export function makeGif(seed = 1): Promise<Uint8Array> {
  const pixels = patternPixels({ widthPx: 16, heightPx: 16, seed, noiseAmplitude: 0 });
  return sharp(pixels, { raw: { width: 16, height: 16, channels: 3 } }).gif().toBuffer();
}

/** A 2 × 2 24-bit BMP (sharp cannot write BMP, so it is built by hand). */
export function makeBmp(): Uint8Array {
  const pixelBytes = 2 * 4; // two rows of 2 BGR pixels, each row padded to 4 bytes
  const bytes = new Uint8Array(54 + pixelBytes);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d], 0); // "BM"
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, 54, true); // pixel data offset
  view.setUint32(14, 40, true); // BITMAPINFOHEADER size
  view.setInt32(18, 2, true);
  view.setInt32(22, 2, true);
  view.setUint16(26, 1, true); // planes
  view.setUint16(28, 24, true); // bits per pixel
  view.setUint32(34, pixelBytes, true);
  bytes.fill(0x80, 54);
  return bytes;
}

function encodeAs(image: ReturnType<typeof sharp>, type: EncodableType): Promise<Uint8Array> {
  switch (type) {
    case "jpeg":
      return image.jpeg({ quality: 90 }).toBuffer();
    case "png":
      return image.png().toBuffer();
    case "webp":
      return image.webp({ quality: 90 }).toBuffer();
    case "avif":
      // Low effort: fixtures should be quick to make, not small.
      return image.avif({ quality: 60, effort: 0 }).toBuffer();
  }
}

interface PatternOptions {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly seed: number;
  readonly noiseAmplitude: number;
}

/** RGB pixels: a diagonal gradient between two seeded colours, three seeded blocks, noise. */
function patternPixels({ widthPx, heightPx, seed, noiseAmplitude }: PatternOptions): Uint8Array {
  const random = mulberry32(seed);
  const [fromR, fromG, fromB] = [random() * 255, random() * 255, random() * 255];
  const [toR, toG, toB] = [random() * 255, random() * 255, random() * 255];
  const blocks = Array.from({ length: 3 }, () => ({
    left: Math.floor(random() * widthPx * 0.7),
    top: Math.floor(random() * heightPx * 0.7),
    size: Math.max(1, Math.floor(random() * Math.min(widthPx, heightPx) * 0.3)),
    rgb: [random() * 255, random() * 255, random() * 255].map(Math.round),
  }));
  const pixels = new Uint8Array(widthPx * heightPx * 3);
  const diagonal = Math.max(1, widthPx + heightPx - 2);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      const t = (x + y) / diagonal;
      const offset = (y * widthPx + x) * 3;
      pixels[offset] = fromR + (toR - fromR) * t;
      pixels[offset + 1] = fromG + (toG - fromG) * t;
      pixels[offset + 2] = fromB + (toB - fromB) * t;
    }
  }
  for (const block of blocks) {
    for (let y = block.top; y < Math.min(heightPx, block.top + block.size); y++) {
      for (let x = block.left; x < Math.min(widthPx, block.left + block.size); x++) {
        pixels.set(block.rgb, (y * widthPx + x) * 3);
      }
    }
  }
  if (noiseAmplitude > 0) addNoise(pixels, noiseAmplitude, random);
  return pixels;
}

/** Photo-like grain, so JPEGs compress (and decode) like real photos rather than flat art. */
function addNoise(pixels: Uint8Array, amplitude: number, random: () => number): void {
  // An inline xorshift32 per byte: calling a PRNG closure 36 million times takes seconds.
  let state = Math.floor(random() * 0xffffffff) | 1;
  const scale = (2 * amplitude) / 255;
  for (let offset = 0; offset < pixels.length; offset++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const value = (pixels[offset] ?? 0) + Math.round((state & 0xff) * scale - amplitude);
    pixels[offset] = value < 0 ? 0 : value > 255 ? 255 : value;
  }
}

/** A small, fast, seedable PRNG (public domain); Math.random cannot be seeded. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pngChunk(kind: string, data: Uint8Array): Uint8Array {
  const kindBytes = new TextEncoder().encode(kind);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(kindBytes, 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Strings planted in a fixture's private metadata; none may appear in anything groupshot stores. */
export const PRIVATE_MARKERS = {
  bodySerial: "BODY-SERIAL-4711",
  lensSerial: "LENS-SERIAL-0815",
  owner: "Owner Secret Name",
  xmp: "xmp-secret-location",
  iptc: "iptc-secret-caption",
  comment: "comment-secret",
  trailer: "trailer-secret",
  text: "png-text-secret",
} as const;

/** The capture time the private-metadata fixtures carry (DateTimeOriginal 2026:05:04 13:14:15). */
export const FIXTURE_CAPTURED_AT_MS = Date.UTC(2026, 4, 4, 13, 14, 15);

/**
 * A photo of `type` carrying everything that must never leave a site: EXIF with GPS, camera
 * and lens serial numbers, the owner's name, the capture time and an Orientation; XMP; an ICC
 * profile; and for JPEG also IPTC (APP13), a comment and bytes after the end of the image (as
 * MPF and vendors' trailers add); for PNG a tEXt chunk. Pixels as makeJpegWithMetadata: red
 * left, blue right, so orientation 6 shows red on top.
 */
export async function makePhotoWithPrivateMetadata(options: { type: EncodableType; orientation?: number; widthPx?: number; heightPx?: number }): Promise<Uint8Array> {
  const { type, orientation = 6, widthPx = 64, heightPx = 32 } = options;
  const pixels = new Uint8Array(widthPx * heightPx * 3);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) pixels.set(x < widthPx / 2 ? [220, 20, 20] : [20, 20, 220], (y * widthPx + x) * 3);
  }
  const image = sharp(pixels, { raw: { width: widthPx, height: heightPx, channels: 3 } })
    .withIccProfile("p3")
    .withExif({
      IFD0: { Make: "GroupshotTestCam", Model: "Fixture 2", Artist: PRIVATE_MARKERS.owner },
      // libvips numbers the EXIF directory IFD2 and the GPS directory IFD3.
      IFD2: { DateTimeOriginal: "2026:05:04 13:14:15", BodySerialNumber: PRIVATE_MARKERS.bodySerial, LensSerialNumber: PRIVATE_MARKERS.lensSerial },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 2400/100", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 300/100" },
    })
    .withMetadata({ orientation })
    .withXmp(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:source="${PRIVATE_MARKERS.xmp}"/></rdf:RDF></x:xmpmeta>`);
  const bytes = new Uint8Array(await encodeAs(image, type));
  if (type === "jpeg") return addJpegExtras(bytes);
  if (type === "png") return addPngText(bytes);
  return bytes;
}

function addJpegExtras(jpeg: Uint8Array): Uint8Array {
  const text = (value: string) => new TextEncoder().encode(value);
  const segment = (marker: number, payload: Uint8Array) => {
    const lengthBytes = payload.length + 2;
    return concatBytes([new Uint8Array([0xff, marker, lengthBytes >> 8, lengthBytes & 0xff]), payload]);
  };
  const iptc = segment(0xed, concatBytes([text("Photoshop 3.0\0"), text(`8BIM\x04\x04\0\0\0\0\0\x20\x1c\x02\x78\0\x1b${PRIVATE_MARKERS.iptc}`)]));
  const comment = segment(0xfe, text(PRIVATE_MARKERS.comment));
  // After SOI: IPTC and a comment; after EOI: a trailer, as MPF images and vendors add.
  return concatBytes([jpeg.subarray(0, 2), iptc, comment, jpeg.subarray(2), text(`\xff\xd8${PRIVATE_MARKERS.trailer}`)]);
}

function addPngText(png: Uint8Array): Uint8Array {
  const ihdrEnd = 8 + 12 + 13;
  const chunk = pngChunk("tEXt", new TextEncoder().encode(`Comment\0${PRIVATE_MARKERS.text}`));
  return concatBytes([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
}
