import { encodeDisplay } from "./encode-display";
import type { EncodedImage } from "./encoded-image";
import { encodeTile } from "./encode-tile";
import { imageError } from "./image-error";
import type { ImageType } from "./image-type";
import { readUploadDimensions } from "./read-upload-dimensions";
import { sha256Hex } from "./sha256-hex";
import { sniffImageType, sniffVideo } from "./sniff-image-type";
import { decodeHeic } from "./heic-decoder";
import type { ImageSource } from "./image-source";
import { profiledPixels } from "./profiled-pixels";
import { sharp } from "./sharp-settings";
import { stripMetadata } from "./strip-metadata";
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from "./upload-limits";

export interface ProcessedPhoto {
  /** The uploaded format, from its bytes. */
  readonly originalType: ImageType;
  readonly originalSizeBytes: number;
  /** Hex SHA-256 of the uploaded bytes, exactly as received: recognises a duplicate upload. */
  readonly originalSha256: string;
  /** The uploaded photo's size as displayed, i.e. after applying EXIF orientation. */
  readonly widthPx: number;
  readonly heightPx: number;
  /** Upright sRGB JPEG, long edge ≤ DISPLAY_MAX_EDGE_PX, no metadata. */
  readonly display: EncodedImage;
  /** Square TILE_EDGE_PX JPEG, no metadata: the montage source and the thumbnail. */
  readonly tile: EncodedImage;
  /**
   * The photo at full size as uploaded, in its own format, without its private metadata
   * (stripMetadata): what "download the original" serves. Its hash is its content address.
   */
  readonly original: { readonly bytes: Uint8Array; readonly sha256: string; readonly type: ImageType; readonly reencoded: boolean };
  /** When it was taken (EXIF DateTimeOriginal, the camera's wall clock as if UTC), or null. */
  readonly capturedAtMs: number | null;
}

/**
 * Validates an uploaded photo and derives everything groupshot stores about it. Cheap
 * checks run first (size, then magic bytes, then the header) so that an oversized, fake or
 * bomb upload is refused before any pixel is decoded. Throws AppError with an image code (413 / 415 / 422);
 * other errors are bugs. The same bytes always give byte-identical outputs.
 * The uploaded bytes themselves are never meant to be stored (they may hold GPS): `original`
 * is the same photo with its private metadata removed.
 */
export async function processUpload(bytes: Uint8Array, limits: UploadLimits = DEFAULT_UPLOAD_LIMITS): Promise<ProcessedPhoto> {
  if (bytes.length > limits.maxBytes) {
    throw imageError("image_too_large", `The file is ${formatMegabytes(bytes.length)}; the limit is ${formatMegabytes(limits.maxBytes)}.`);
  }
  const originalType = sniffImageType(bytes);
  if (originalType === null) {
    if (sniffVideo(bytes)) {
      throw imageError("image_video_unsupported", "Videos (and the moving part of a Live Photo) are not accepted; please upload the still photo (JPEG, PNG, WebP, AVIF or HEIC).");
    }
    const what = bytes.length === 0 ? "The file is empty" : "The file is not a JPEG, PNG, WebP, AVIF or HEIC image";
    throw imageError("image_type_unsupported", `${what}; please upload a photo in one of those formats.`);
  }
  // Header only: the pixel limit is checked before anything is decoded, HEIC included.
  const { widthPx, heightPx } = await readUploadDimensions(bytes, originalType, limits);
  const source = await imageSourceOf(bytes, originalType, { widthPx, heightPx }, limits);
  // One full decode at a time: display then tile. Side by side they peaked ~40 MB higher (two
  // 12 MP decodes) for a ~15 % shorter lone upload; under load the cores are busy either way.
  const [display, originalSha256] = await Promise.all([encodeDisplay(source).catch(asUndecodable), sha256Hex(bytes)]);
  const tile = await encodeTile(source).catch(asUndecodable);
  const stripped = await stripMetadata({ bytes, type: originalType, widthPx, heightPx, limits, decoded: originalType === "heic" ? source : undefined }).catch(asUndecodable);
  const original = { bytes: stripped.bytes, sha256: await sha256Hex(stripped.bytes), type: stripped.type ?? originalType, reencoded: stripped.reencoded };
  return { originalType, originalSizeBytes: bytes.length, originalSha256, widthPx, heightPx, display, tile, original, capturedAtMs: stripped.facts.capturedAtMs };
}

/**
 * HEIC is decoded by libheif in a worker (sharp's prebuilt libvips has no HEVC decoder), to
 * upright RGBA pixels in the HEIC's own colour space; with a colour profile (an iPhone's Display
 * P3) they are carried with it (profiledPixels), so every output converts them to sRGB as it
 * would a JPEG with that profile. Every other type is decoded by sharp itself in each pipeline.
 */
async function imageSourceOf(bytes: Uint8Array, type: ImageType, header: { widthPx: number; heightPx: number }, limits: UploadLimits): Promise<ImageSource> {
  if (type !== "heic") return { kind: "encoded", bytes, limits };
  const pixels = await decodeHeic(bytes).catch(asUndecodable);
  if (pixels.widthPx !== header.widthPx || pixels.heightPx !== header.heightPx) {
    throw imageError("image_undecodable", "The photo's content does not match its header.");
  }
  const { icc } = await sharp(bytes, { limitInputPixels: false }).metadata();
  if (!icc) return { kind: "pixels", ...pixels };
  return { kind: "encoded", bytes: await profiledPixels(pixels, icc), limits };
}

/** The header parsed but the pixel data did not decode (truncated or corrupt). */
function asUndecodable(cause: unknown): never {
  throw imageError("image_undecodable", "The photo is damaged or incomplete and cannot be read.", { cause });
}

function formatMegabytes(sizeBytes: number): string {
  return `${(sizeBytes / (1024 * 1024)).toFixed(1)} MB`;
}
