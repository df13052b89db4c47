import type { ImageType } from "./image-type";
import { imageError } from "./image-error";
import { sharp } from "./sharp-settings";
import type { UploadLimits } from "./upload-limits";

export interface OrientedDimensions {
  /** Width and height as displayed, i.e. after applying EXIF orientation. */
  readonly widthPx: number;
  readonly heightPx: number;
}

// sharp names its decoder, not the container: AVIF is HEIF with AV1 compression, HEIC with
// HEVC. sharp reads a HEIC's header (size, rotation) though it cannot decode its pixels.
const SHARP_FORMAT_BY_TYPE = { jpeg: "jpeg", png: "png", webp: "webp", avif: "heif", heic: "heif" } as const;
const HEIF_COMPRESSION = { avif: "av1", heic: "hevc" } as const;

/**
 * Reads only the header (cheap: no pixels are decoded) and refuses, before any decoding,
 * what cannot or must not be decoded: a header that does not parse or does not match the
 * sniffed type, more pixels than the limit, or an image too small to be a photo.
 */
export async function readUploadDimensions(bytes: Uint8Array, type: ImageType, limits: UploadLimits): Promise<OrientedDimensions> {
  // Header only: libvips' own pixel limit is off here so that a bomb gets our clear 422 below
  // instead of a decoder error. The decoding pipelines keep the limit (decodeOptions).
  const metadata = await sharp(bytes, { limitInputPixels: false }).metadata().catch((cause: unknown) => {
    throw imageError("image_undecodable", `The file looks like ${type.toUpperCase()} but cannot be read.`, { cause });
  });
  const matchesType = metadata.format === SHARP_FORMAT_BY_TYPE[type] && (type !== "avif" && type !== "heic" ? true : metadata.compression === HEIF_COMPRESSION[type]);
  if (!matchesType) {
    throw imageError("image_undecodable", `The file looks like ${type.toUpperCase()} but its content is something else.`);
  }
  const pixels = metadata.width * metadata.height;
  if (!(pixels > 0) || pixels > limits.maxPixels) {
    const megapixels = (pixels / 1e6).toFixed(0);
    throw imageError(
      "image_too_many_pixels",
      `The photo is ${metadata.width} × ${metadata.height} pixels (${megapixels} MP); the limit is ${(limits.maxPixels / 1e6).toFixed(0)} MP.`,
    );
  }
  const { width: widthPx, height: heightPx } = metadata.autoOrient;
  if (Math.min(widthPx, heightPx) < limits.minEdgePx) {
    throw imageError("image_too_small", `The photo is ${widthPx} × ${heightPx} pixels; each side must be at least ${limits.minEdgePx}.`);
  }
  return { widthPx, heightPx };
}
