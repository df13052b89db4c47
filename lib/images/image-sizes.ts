/**
 * The sizes and encoder settings of everything this library writes. Changing any of them
 * changes output bytes, hence content addresses: treat a change as a new version of the
 * derived images, not a tweak.
 */

/** Long edge of the "display" image: sharp on a 1440p screen, ~0.3-1 MB per photo. */
export const DISPLAY_MAX_EDGE_PX = 2560;
export const DISPLAY_JPEG_QUALITY = 85;

/**
 * Edge of the square "tile": the UI thumbnail (attention-cropped). The montage is painted
 * from the display images instead, which keep each photo's aspect ratio.
 */
export const TILE_EDGE_PX = 768;
export const TILE_JPEG_QUALITY = 85;


/**
 * Shared by both montage sizes, so preview and download look alike. Rows aim for a 3:2
 * canvas; with very many photos (1,000: ~65 px rows at 3000 px) they stop shrinking at 32 px
 * and the canvas grows taller instead.
 */
const MONTAGE_COMMON = { targetAspect: 1.5, minRowHeightPx: 32, backgroundRgb: [236, 236, 236] } as const;

/**
 * The downloadable montage: 3000 px wide (a 10 × 15 inch print at 200 dpi, and still
 * well under a few MB), rows at most 1500 px tall (a display image is 1707 px tall in
 * landscape, so cells are never enlarged). Gaps of 8 px in light grey separate photos without
 * framing them heavily. Baseline JPEG: a download is not painted progressively, and baseline
 * encodes 3000 × 2000 px in about half the CPU time (≈80 vs ≈150 ms measured) for ~2% more bytes.
 */
export const MONTAGE_FULL = { ...MONTAGE_COMMON, maxWidthPx: 3000, maxRowHeightPx: 1500, gapPx: 8, jpegQuality: 85, progressive: false } as const;

/**
 * The montage on the event page: 1200 px wide fills a laptop column and is ~2× a phone
 * screen; progressive so it paints early on a slow connection.
 */
export const MONTAGE_PREVIEW = { ...MONTAGE_COMMON, maxWidthPx: 1200, maxRowHeightPx: 600, gapPx: 4, jpegQuality: 80, progressive: true } as const;
