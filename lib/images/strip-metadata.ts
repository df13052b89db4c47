import type { ImageType } from "./image-type";
import { sharp } from "./sharp-settings";
import { stripHeif } from "./strip-heif";
import { stripJpeg } from "./strip-jpeg";
import { stripPng } from "./strip-png";
import { stripWebp } from "./strip-webp";
import type { StrippedOriginal } from "./stripped-original";
import { decodeOptions } from "./decode-options";
import { openSource, type ImageSource } from "./image-source";
import { readExifFacts } from "./exif-facts";
import type { UploadLimits } from "./upload-limits";

const STRIP_IN_PLACE: Record<ImageType, (bytes: Uint8Array) => StrippedOriginal> = {
  jpeg: stripJpeg,
  png: stripPng,
  webp: stripWebp,
  avif: stripHeif,
  heic: stripHeif,
};

/**
 * The original groupshot keeps: the uploaded file with its private metadata removed (GPS,
 * camera and lens serial numbers, maker notes, XMP, IPTC, comments, EXIF thumbnails) and its
 * pixels untouched, container by container (strip-jpeg, strip-png, strip-webp, strip-heif).
 * It still shows upright: an EXIF holding only Orientation replaces the EXIF where one is
 * needed (HEIF keeps its irot/imir boxes). The result is checked by reading its header back
 * (same format and upright size as the upload); if the container could not be cleaned in place,
 * the photo is encoded again at full resolution and high quality instead (`reencoded`), upright,
 * with its colour profile and nothing else.
 */
export async function stripMetadata(options: {
  bytes: Uint8Array;
  type: ImageType;
  widthPx: number;
  heightPx: number;
  limits: UploadLimits;
  /** HEIC's decoded image (upright, with its colour profile if it has one): what a HEIC that cannot be cleaned in place is converted from. */
  decoded?: ImageSource;
}): Promise<StrippedOriginal> {
  const { bytes, type, widthPx, heightPx, limits } = options;
  try {
    const stripped = STRIP_IN_PLACE[type](bytes);
    const header = await sharp(stripped.bytes, { limitInputPixels: false }).metadata();
    if (header.autoOrient.width === widthPx && header.autoOrient.height === heightPx) return stripped;
  } catch {
    // Not cleanable in place: encoded again below.
  }
  const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  const capturedAtMs = metadata.exif ? readExifFacts(metadata.exif).capturedAtMs : null;
  if (type === "heic") {
    // No HEVC encoder here: a full-resolution, high-quality JPEG of the decoded pixels instead.
    if (!options.decoded) throw new Error("stripMetadata: a HEIC that cannot be cleaned in place needs its decoded image");
    const jpeg = await openSource(options.decoded).keepIccProfile().flatten({ background: "#ffffff" }).jpeg({ quality: 95, chromaSubsampling: "4:4:4" }).toBuffer();
    return { bytes: jpeg, facts: { orientation: 1, capturedAtMs }, reencoded: true, type: "jpeg" };
  }
  const image = sharp(bytes, decodeOptions(limits)).keepIccProfile();
  const encoded =
    type === "png" ? image.png() : type === "webp" ? image.webp({ quality: 95 }) : type === "avif" ? image.avif({ quality: 90 }) : image.jpeg({ quality: 95, chromaSubsampling: "4:4:4" });
  // (type is never "heic" here: handled above)
  return { bytes: await encoded.toBuffer(), facts: { orientation: 1, capturedAtMs }, reencoded: true };
}
