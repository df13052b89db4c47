/**
 * The image library's public surface: import from "@/lib/images". Pure of Next.js and the
 * database; sharp does the pixel work on libuv threads. See README.md in this folder.
 * Test helpers (fixtures, assertStripped, readExifTags) are imported from their own files.
 */
export { sniffImageType } from "./sniff-image-type";
export { IMAGE_TYPES, type ImageType } from "./image-type";
export { processUpload, type ProcessedPhoto } from "./process-upload";
export type { EncodedImage } from "./encoded-image";
export { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from "./upload-limits";
export { buildMontage } from "./build-montage";
export { buildMontages, type MontagePair, type MontageSizes } from "./build-montages";
export type { Montage, MontageOptions, MontagePhoto, PlacedCell } from "./montage";
export {
  montageLayout,
  MONTAGE_MAX_ASPECT,
  MONTAGE_MAX_HEIGHT_PER_WIDTH,
  MONTAGE_MAX_PHOTOS,
  MONTAGE_MIN_CELL_EDGE_PX,
  type MontageCell,
  type MontageLayout,
  type MontageLayoutOptions,
  type PhotoShape,
} from "./montage-layout";
export {
  DISPLAY_JPEG_QUALITY,
  DISPLAY_MAX_EDGE_PX,
  MONTAGE_FULL,
  MONTAGE_PREVIEW,
  TILE_EDGE_PX,
  TILE_JPEG_QUALITY,
} from "./image-sizes";
export { sha256Hex } from "./sha256-hex";
export { SHARP_THREADS_PER_IMAGE } from "./sharp-settings";
export { WorkQueue, type QueuePlace } from "./work-queue";
export { UPLOAD_DECODES_AT_ONCE, UPLOADS_IN_PROGRESS } from "./decode-queue";
