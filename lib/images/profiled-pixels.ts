import { crc32, deflateSync } from "node:zlib";
import { sharp } from "./sharp-settings";

/**
 * Decoded pixels with the colour profile they were encoded in, as a lossless PNG carrying it
 * (an iCCP chunk), so that sharp converts them to sRGB like any upload with a profile.
 *
 * Why: libheif hands back the HEIC's pixel values as stored — on an iPhone, Display P3 — and
 * raw pixels given to sharp are taken as sRGB, which would show every photo dull and shifted.
 * sharp can attach a profile to an output only from a file path, never tag raw input with one,
 * so the profile travels in the container libvips reads it from. Level-0 deflate: the PNG is
 * a short-lived carrier (~the raw size), not something stored.
 */
export async function profiledPixels(pixels: { data: Uint8Array; widthPx: number; heightPx: number }, iccProfile: Uint8Array): Promise<Uint8Array> {
  const png = await sharp(pixels.data, { raw: { width: pixels.widthPx, height: pixels.heightPx, channels: 4 } })
    .png({ compressionLevel: 0, adaptiveFiltering: false })
    .toBuffer();
  return withIccpChunk(png, iccProfile);
}

const PNG_SIGNATURE_BYTES = 8;
/** Length, type, 13 bytes of data, CRC: IHDR is always first and always this long. */
const IHDR_END = PNG_SIGNATURE_BYTES + 4 + 4 + 13 + 4;

/** The PNG with an iCCP chunk ("icc", deflate, the profile) right after IHDR, where the spec puts it. */
function withIccpChunk(png: Uint8Array, iccProfile: Uint8Array): Uint8Array {
  const ihdrType = Buffer.from(png.subarray(PNG_SIGNATURE_BYTES + 4, PNG_SIGNATURE_BYTES + 8)).toString("latin1");
  if (ihdrType !== "IHDR") throw new Error("profiledPixels: sharp's PNG does not start with IHDR");
  const data = Buffer.concat([Buffer.from("icc\0\0", "latin1"), deflateSync(iccProfile)]);
  const typeAndData = Buffer.concat([Buffer.from("iCCP", "latin1"), data]);
  const chunk = Buffer.alloc(4 + typeAndData.length + 4);
  chunk.writeUInt32BE(data.length, 0);
  typeAndData.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typeAndData) >>> 0, 4 + typeAndData.length);
  return Buffer.concat([png.subarray(0, IHDR_END), chunk, png.subarray(IHDR_END)]);
}
