/**
 * Where each photo goes in a montage. Pure: no I/O, no sharp, same answer everywhere.
 *
 * The shape is justified rows, as photo sites lay out galleries (Flickr, Google Photos): the
 * photos, in the order given, are cut into rows; every row spans the full width at one
 * height, so each photo keeps its aspect ratio (up to a pixel of rounding) and nothing is
 * cropped. Where a row breaks is chosen for the whole set at once (a shortest path over the
 * break points, as TeX breaks paragraphs into lines), so that every row is as close as
 * possible to one target height; that height is the one that makes the canvas about
 * `targetAspect` wide for tall. Between cells and around the edge runs a uniform gap of
 * `gapPx` background.
 *
 * Only + - × ÷ and √ (all exactly rounded in IEEE 754, so identical on every machine) decide
 * the layout: the same photo set gives the same cells on every site.
 */

export interface MontageLayoutOptions {
  /** Canvas width: exactly this, unless every photo fits in one row narrower than it. */
  readonly maxWidthPx: number;
  /** Background between cells and around the edge; 0 for edge-to-edge cells. */
  readonly gapPx: number;
  /** No row is taller than this, nor than the tallest photo (small photos are not blown up). */
  readonly maxRowHeightPx: number;
  /** No row aims lower than this: with very many photos the canvas grows taller instead. */
  readonly minRowHeightPx: number;
  /** Width / height the canvas aims for; 1.5 is the 3:2 of most cameras. */
  readonly targetAspect: number;
}

/** A photo's upright size at any scale: only its aspect ratio matters. */
export interface PhotoShape {
  readonly widthPx: number;
  readonly heightPx: number;
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
/**
 * Aspect ratios are clamped to 1:3 … 3:1 for the layout: a 10:1 panorama would otherwise
 * take a row to itself at a sliver's height. Such a photo is cover-cropped to 3:1 in its cell.
 */
export const MONTAGE_MAX_ASPECT = 3;
/** The canvas is at most this many times as tall as wide: with the sizes in image-sizes.ts, 1,000 photos of any shape fit. */
export const MONTAGE_MAX_HEIGHT_PER_WIDTH = 4;

export function montageLayout(shapes: readonly PhotoShape[], options: MontageLayoutOptions): MontageLayout {
  assertValidRequest(shapes, options);
  const aspects = shapes.map(({ widthPx, heightPx }) => Math.min(MONTAGE_MAX_ASPECT, Math.max(1 / MONTAGE_MAX_ASPECT, widthPx / heightPx)));
  const { gapPx } = options;
  // Never taller than the tallest photo either: a set of small photos is not blown up.
  const maxRowHeightPx = Math.min(options.maxRowHeightPx, Math.max(options.minRowHeightPx, ...shapes.map((s) => s.heightPx)));
  const aspectSum = aspects.reduce((sum, a) => sum + a, 0);

  // Everything fits in one row at the tallest height: one row, narrower than the maximum.
  const oneRowInnerPx = Math.round(aspectSum * maxRowHeightPx);
  if (oneRowInnerPx + (aspects.length + 1) * gapPx <= options.maxWidthPx) {
    const widthPx = oneRowInnerPx + (aspects.length + 1) * gapPx;
    const cells = placeRow(aspects, { leftPx: gapPx, topPx: gapPx, innerWidthPx: oneRowInnerPx, heightPx: maxRowHeightPx, gapPx });
    return checked({ widthPx, heightPx: maxRowHeightPx + 2 * gapPx, rowCounts: [aspects.length], cells });
  }

  const widthPx = options.maxWidthPx;
  // All rows at height h make a canvas of about h² Σa / W: the h that gives W / targetAspect.
  const targetHeightPx = Math.min(maxRowHeightPx, Math.max(options.minRowHeightPx, widthPx / Math.sqrt(options.targetAspect * aspectSum)));
  const rowCounts = breakIntoRows(aspects, { widthPx, gapPx, maxRowHeightPx, targetHeightPx });
  const cells: MontageCell[] = [];
  let topPx = gapPx;
  let first = 0;
  for (const count of rowCounts) {
    const row = aspects.slice(first, first + count);
    const innerWidthPx = widthPx - (count + 1) * gapPx;
    const heightPx = Math.min(maxRowHeightPx, Math.round(innerWidthPx / row.reduce((sum, a) => sum + a, 0)));
    cells.push(...placeRow(row, { leftPx: gapPx, topPx, innerWidthPx, heightPx, gapPx }));
    topPx += heightPx + gapPx;
    first += count;
  }
  return checked({ widthPx, heightPx: topPx, rowCounts, cells });
}

/**
 * Row lengths that minimise the sum over rows of (h − t)² / (h t), h a row's height at full
 * width and t the target (symmetric: twice too tall costs what half as tall does). Rows taller
 * than the maximum are not allowed. Dynamic programming over the break points, each row at most
 * as many photos as can be at least the minimum cell wide: O(n × row length).
 */
function breakIntoRows(
  aspects: readonly number[],
  o: { readonly widthPx: number; readonly gapPx: number; readonly maxRowHeightPx: number; readonly targetHeightPx: number },
): number[] {
  const n = aspects.length;
  const longestRow = Math.max(1, Math.floor((o.widthPx - o.gapPx) / (MONTAGE_MIN_CELL_EDGE_PX + o.gapPx)));
  const cost = new Array<number>(n + 1).fill(Number.POSITIVE_INFINITY);
  const rowStart = new Array<number>(n + 1).fill(0);
  cost[0] = 0;
  for (let end = 1; end <= n; end++) {
    let rowAspect = 0;
    for (let start = end - 1; start >= 0 && end - start <= longestRow; start--) {
      rowAspect += aspects[start] ?? 0;
      const heightPx = (o.widthPx - (end - start + 1) * o.gapPx) / rowAspect;
      if (heightPx > o.maxRowHeightPx) continue; // too few photos for a row: add more
      const total = (cost[start] ?? Number.POSITIVE_INFINITY) + ((heightPx - o.targetHeightPx) * (heightPx - o.targetHeightPx)) / (heightPx * o.targetHeightPx);
      // Strictly smaller: among equal costs the longest last row wins, whichever way the loop ran.
      if (total < (cost[end] ?? Number.POSITIVE_INFINITY)) {
        cost[end] = total;
        rowStart[end] = start;
      }
    }
  }
  if (!Number.isFinite(cost[n] ?? Number.POSITIVE_INFINITY)) throw new RangeError(`montageLayout: ${n} photos cannot be cut into rows`);
  const rowCounts: number[] = [];
  for (let end = n; end > 0; end = rowStart[end] ?? 0) rowCounts.push(end - (rowStart[end] ?? 0));
  return rowCounts.reverse();
}

/** One row's cells: widths proportional to the aspects, rounded so they sum to the row exactly. */
function placeRow(
  aspects: readonly number[],
  o: { readonly leftPx: number; readonly topPx: number; readonly innerWidthPx: number; readonly heightPx: number; readonly gapPx: number },
): MontageCell[] {
  const rowAspect = aspects.reduce((sum, a) => sum + a, 0);
  const cells: MontageCell[] = [];
  let before = 0;
  let usedPx = 0;
  for (const aspect of aspects) {
    before += aspect;
    const edgePx = Math.round((before / rowAspect) * o.innerWidthPx);
    cells.push({ leftPx: o.leftPx + usedPx + cells.length * o.gapPx, topPx: o.topPx, widthPx: edgePx - usedPx, heightPx: o.heightPx });
    usedPx = edgePx;
  }
  return cells;
}

function checked(layout: MontageLayout): MontageLayout {
  if (layout.heightPx > layout.widthPx * MONTAGE_MAX_HEIGHT_PER_WIDTH) {
    throw new RangeError(`montageLayout: ${layout.cells.length} photos would need a canvas of ${layout.widthPx}×${layout.heightPx} px`);
  }
  const smallest = layout.cells.reduce((min, c) => Math.min(min, c.widthPx, c.heightPx), Number.POSITIVE_INFINITY);
  if (smallest < MONTAGE_MIN_CELL_EDGE_PX) {
    throw new RangeError(`montageLayout: ${layout.cells.length} photos would need cells of ${smallest} px in ${layout.widthPx} px`);
  }
  return layout;
}

function assertValidRequest(shapes: readonly PhotoShape[], options: MontageLayoutOptions): void {
  if (shapes.length < 1 || shapes.length > MONTAGE_MAX_PHOTOS) {
    throw new RangeError(`montageLayout: between 1 and ${MONTAGE_MAX_PHOTOS} photos, got ${shapes.length}`);
  }
  if (!shapes.every((s) => Number.isInteger(s.widthPx) && Number.isInteger(s.heightPx) && s.widthPx > 0 && s.heightPx > 0)) {
    throw new RangeError("montageLayout: every photo needs a positive integer width and height");
  }
  const { maxWidthPx, gapPx, maxRowHeightPx, minRowHeightPx, targetAspect } = options;
  if (![maxWidthPx, gapPx, maxRowHeightPx, minRowHeightPx].every((n) => Number.isInteger(n) && n >= 0) || minRowHeightPx < MONTAGE_MIN_CELL_EDGE_PX || maxRowHeightPx < minRowHeightPx) {
    throw new RangeError("montageLayout: sizes must be non-negative integers, rows at least the minimum cell edge");
  }
  if (!(targetAspect > 0 && Number.isFinite(targetAspect))) {
    throw new RangeError(`montageLayout: targetAspect must be a positive number, got ${targetAspect}`);
  }
}
