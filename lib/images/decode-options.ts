import type { SharpOptions } from "sharp";
import type { UploadLimits } from "./upload-limits";

/**
 * How every upload is decoded.
 * - autoOrient: apply the EXIF Orientation tag, so what is stored looks like what the phone showed.
 * - limitInputPixels: libvips refuses to decode more pixels than the limit (decompression bombs).
 * - failOn "error": refuse truncated or corrupt data but accept files with benign decoder
 *   warnings (common in phone JPEGs), which the stricter default "warning" would refuse.
 */
export function decodeOptions(limits: UploadLimits): SharpOptions {
  return { autoOrient: true, limitInputPixels: limits.maxPixels, failOn: "error" };
}
