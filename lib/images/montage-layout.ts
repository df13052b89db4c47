/**
 * Where each photo goes in a montage. Pure: no I/O, no sharp, same answer everywhere.
 *
 * The shape is a justified mosaic of square cells. Photos are split into rows whose counts
 * differ by at most one (rows of k and k+1). Every row spans the full width, so a row of k
 * photos has slightly larger squares than a row of k+1, and no row is ever left with holes.
 * The number of rows is the one that brings the whole canvas closest to `targetAspect`.
 * Cells are square (±1 px of rounding) because tiles are square: nothing is cropped twice.
 * Between cells and around the edge runs a uniform gap of `gapPx` background.
 */

export interface MontageLayoutOptions {
  /** Canvas width never exceeds this. */
  readonly maxWidthPx: number;
  /** Background between cells and around the edge; 0 for edge-to-edge cells. */
  readonly gapPx: number;
  /** No cell is larger than this (the tile edge), so tiles are never enlarged. */
  readonly maxCellEdgePx: number;
  /** Width / height the canvas aims for; 1.5 is the 3:2 of most cameras. */
  readonly targetAspect: number;
}

export interface MontageCell {
  readonly leftPx: number;
  readonly topPx: number;
  readonly widthPx: number;
  readonly heightPx: number;
}

export interface MontageLayout {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Photos per row, top to bottom. */
  readonly rowCounts: readonly number[];
  /** One cell per photo, in photo order: row by row, left to right. */
  readonly cells: readonly MontageCell[];
}

/** A limit on everything: more photos than this is a bug upstream, not a bigger montage. */
export const MONTAGE_MAX_PHOTOS = 1000;
/** Smaller cells would be unrecognisable; a layout that needs them is refused. */
export const MONTAGE_MIN_CELL_EDGE_PX = 8;

export function montageLayout(photoCount: number, options: MontageLayoutOptions): MontageLayout {
  assertValidRequest(photoCount, options);
  const rowCounts = chooseRowCounts(photoCount, options.targetAspect);
  const fewestPerRow = Math.min(...rowCounts);
  const mostPerRow = Math.max(...rowCounts);
  const { gapPx } = options;
  // The rows with the fewest photos have the largest cells: they set the width cap.
  const widthPx = Math.min(options.maxWidthPx, fewestPerRow * options.maxCellEdgePx + (fewestPerRow + 1) * gapPx);
  if (Math.floor((widthPx - (mostPerRow + 1) * gapPx) / mostPerRow) < MONTAGE_MIN_CELL_EDGE_PX) {
    throw new RangeError(`montageLayout: ${photoCount} photos do not fit in ${widthPx} px with ${gapPx} px gaps`);
  }
  const cells: MontageCell[] = [];
  let topPx = gapPx;
  for (const count of rowCounts) {
    const rowWidthsPx = splitEvenly(widthPx - (count + 1) * gapPx, count);
    const heightPx = Math.min(...rowWidthsPx); // square cells, the spare pixel goes to width
    let leftPx = gapPx;
    for (const cellWidthPx of rowWidthsPx) {
      cells.push({ leftPx, topPx, widthPx: cellWidthPx, heightPx });
      leftPx += cellWidthPx + gapPx;
    }
    topPx += heightPx + gapPx;
  }
  return { widthPx, heightPx: topPx, rowCounts, cells };
}

/**
 * Row counts whose canvas aspect (width / height, ignoring gaps) is closest to the target
 * on a log scale, so 2× too wide and 2× too tall weigh the same. Ties go to fewer rows.
 * With square cells a row of c photos is 1/c of the width tall, hence aspect = 1 / Σ 1/c.
 */
function chooseRowCounts(photoCount: number, targetAspect: number): number[] {
  let best = { rowCounts: [photoCount], distance: Number.POSITIVE_INFINITY };
  for (let rows = 1; rows <= photoCount; rows++) {
    const rowCounts = distributeAcrossRows(photoCount, rows);
    const aspect = 1 / rowCounts.reduce((sum, count) => sum + 1 / count, 0);
    const distance = Math.abs(Math.log(aspect / targetAspect));
    if (distance < best.distance) best = { rowCounts, distance };
    // Each extra row makes the canvas taller: once below the target, it only gets worse.
    if (aspect < targetAspect) break;
  }
  return best.rowCounts;
}

/**
 * Splits photos into rows of k and k+1, the longer rows spread evenly among the shorter
 * ones (as a line is drawn on a pixel grid), so large and small cells alternate rather than
 * grouping at the top or bottom. The first row is always a short one (larger photos).
 */
function distributeAcrossRows(photoCount: number, rows: number): number[] {
  return Array.from({ length: rows }, (_, row) => Math.floor(((row + 1) * photoCount) / rows) - Math.floor((row * photoCount) / rows));
}

/** `count` integers summing to `totalPx` that differ by at most one, larger ones first. */
function splitEvenly(totalPx: number, count: number): number[] {
  const basePx = Math.floor(totalPx / count);
  const remainder = totalPx - basePx * count;
  return Array.from({ length: count }, (_, i) => basePx + (i < remainder ? 1 : 0));
}

function assertValidRequest(photoCount: number, options: MontageLayoutOptions): void {
  if (!Number.isInteger(photoCount) || photoCount < 1 || photoCount > MONTAGE_MAX_PHOTOS) {
    throw new RangeError(`montageLayout: photoCount must be an integer in 1..${MONTAGE_MAX_PHOTOS}, got ${photoCount}`);
  }
  const { maxWidthPx, gapPx, maxCellEdgePx, targetAspect } = options;
  if (![maxWidthPx, gapPx, maxCellEdgePx].every((n) => Number.isInteger(n) && n >= 0) || maxCellEdgePx < MONTAGE_MIN_CELL_EDGE_PX) {
    throw new RangeError("montageLayout: sizes must be non-negative integers and cells at least the minimum edge");
  }
  if (!(targetAspect > 0 && Number.isFinite(targetAspect))) {
    throw new RangeError(`montageLayout: targetAspect must be a positive number, got ${targetAspect}`);
  }
}
