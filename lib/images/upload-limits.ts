/** What processUpload accepts. Configurable per deployment (SPEC §1 "Fixed limits"). */
export interface UploadLimits {
  /** Largest accepted upload, in bytes, checked before any decoding (413 above it). */
  readonly maxBytes: number;
  /** Largest decoded size, width × height in pixels: the guard against decompression bombs (422). */
  readonly maxPixels: number;
  /** Shortest accepted edge after orientation, in pixels: smaller is not a photo (422). */
  readonly minEdgePx: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  // SPEC §1: "photo size (default 20 MB)"; read as MiB so a "20 MB" phone file is never refused.
  maxBytes: 20 * 1024 * 1024,
  // SPEC §1: "at most ~50 megapixels decoded". A 50 MP RGB image is 150 MB of pixels.
  maxPixels: 50_000_000,
  minEdgePx: 16,
};
