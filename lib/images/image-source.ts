import type { Sharp } from "sharp";
import { decodeOptions } from "./decode-options";
import { sharp } from "./sharp-settings";
import type { UploadLimits } from "./upload-limits";

/**
 * What a derived image is made from: an upload sharp decodes itself (JPEG, PNG, WebP, AVIF:
 * EXIF orientation applied, pixel limit enforced), or upright RGBA pixels decoded elsewhere
 * (HEIC, by libheif in a worker: its irot/imir already applied).
 */
export type ImageSource =
  | { readonly kind: "encoded"; readonly bytes: Uint8Array; readonly limits: UploadLimits }
  | { readonly kind: "pixels"; readonly data: Uint8Array; readonly widthPx: number; readonly heightPx: number };

export function openSource(source: ImageSource): Sharp {
  if (source.kind === "encoded") return sharp(source.bytes, decodeOptions(source.limits));
  return sharp(source.data, { raw: { width: source.widthPx, height: source.heightPx, channels: 4 } });
}
