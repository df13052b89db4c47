/**
 * The image library's public surface: import from "@/lib/images". Pure of Next.js and the
 * database; sharp does the pixel work on libuv threads. See README.md in this folder.
 * Test helpers (fixtures, assertStripped, readExifTags) are imported from their own files.
 */
export { sniffImageType } from "./sniffImageType";
export { IMAGE_TYPES, type ImageType } from "./imageType";
export { processUpload, type ProcessedPhoto } from "./processUpload";
export type { EncodedImage } from "./encodedImage";
export { ImageError, type ImageErrorCode, type ImageErrorStatus } from "./imageError";
export { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from "./uploadLimits";
export { buildMontage } from "./buildMontage";
export { buildMontages, type MontagePair, type MontageSizes } from "./buildMontages";
export type { Montage, MontageOptions, MontageTile, PlacedCell } from "./montage";
export {
  montageLayout,
  MONTAGE_MAX_PHOTOS,
  MONTAGE_MIN_CELL_EDGE_PX,
  type MontageCell,
  type MontageLayout,
  type MontageLayoutOptions,
} from "./montageLayout";
export {
  DISPLAY_JPEG_QUALITY,
  DISPLAY_MAX_EDGE_PX,
  MONTAGE_FULL,
  MONTAGE_PREVIEW,
  TILE_EDGE_PX,
  TILE_JPEG_QUALITY,
} from "./imageSizes";
export { sha256Hex } from "./sha256Hex";
export { SHARP_THREADS_PER_IMAGE } from "./sharpSettings";
export { multipartFile, MultipartError } from "./multipartFile";
export { WorkQueue, type QueuePlace } from "./workQueue";
export { uploadQueue, UPLOAD_DECODES_AT_ONCE, UPLOADS_IN_PROGRESS } from "./uploadQueue";
