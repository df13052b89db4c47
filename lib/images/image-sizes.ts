/**
 * The sizes and encoder settings of everything this library writes. Changing any of them
 * changes output bytes, hence content addresses: treat a change as a new version of the
 * derived images, not a tweak.
 */

/** Long edge of the "display" image: sharp on a 1440p screen, ~0.3-1 MB per photo. */
export const DISPLAY_MAX_EDGE_PX = 2560;
export const DISPLAY_JPEG_QUALITY = 85;

/**
 * Edge of the square "tile": the montage source and the UI thumbnail. 768 lets the full
 * montage (3000 px wide) use tiles without enlarging them whenever a row holds 4 or more
 * photos, and is still a light thumbnail (~50-150 kB).
 */
export const TILE_EDGE_PX = 768;
export const TILE_JPEG_QUALITY = 85;


/** Shared by both montage sizes, so preview and download look alike. */
const MONTAGE_COMMON = { maxCellEdgePx: TILE_EDGE_PX, targetAspect: 1.5, backgroundRgb: [236, 236, 236] } as const;

/**
 * The downloadable montage: up to 3000 px wide (a 10 × 15 inch print at 200 dpi, and still
 * well under a few MB). Gaps of 8 px in light grey separate photos without framing them
 * heavily. Baseline JPEG: a download is not painted progressively, and baseline encodes
 * 3000 × 2000 px in about half the CPU time (≈80 vs ≈150 ms measured) for ~2% more bytes.
 */
export const MONTAGE_FULL = { ...MONTAGE_COMMON, maxWidthPx: 3000, gapPx: 8, jpegQuality: 85, progressive: false } as const;

/**
 * The montage on the event page: 1200 px wide fills a laptop column and is ~2× a phone
 * screen; progressive so it paints early on a slow connection.
 */
export const MONTAGE_PREVIEW = { ...MONTAGE_COMMON, maxWidthPx: 1200, gapPx: 4, jpegQuality: 80, progressive: true } as const;
