import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { MONTAGE_FULL, MONTAGE_PREVIEW } from "./image-sizes";
import {
  montageLayout,
  MONTAGE_MAX_ASPECT,
  MONTAGE_MAX_HEIGHT_PER_WIDTH,
  MONTAGE_MAX_PHOTOS,
  MONTAGE_MIN_CELL_EDGE_PX,
  type MontageLayout,
  type MontageLayoutOptions,
  type PhotoShape,
} from "./montage-layout";

const LANDSCAPE = { widthPx: 4032, heightPx: 3024 };
const PORTRAIT = { widthPx: 3024, heightPx: 4032 };
const SQUARE = { widthPx: 1080, heightPx: 1080 };

/** A reproducible mix of phone shapes (4:3 both ways, 16:9 both ways, square, a panorama). */
function phoneShapes(count: number, seed = 7): PhotoShape[] {
  const kinds = [LANDSCAPE, PORTRAIT, { widthPx: 1920, heightPx: 1080 }, { widthPx: 1080, heightPx: 1920 }, SQUARE, { widthPx: 8000, heightPx: 1500 }];
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return kinds[state % kinds.length] as PhotoShape;
  });
}

/** The invariants every layout must keep; returns nothing, throws on the first violation. */
function checkLayout(shapes: readonly PhotoShape[], options: MontageLayoutOptions, layout: MontageLayout): void {
  const { cells, rowCounts, widthPx, heightPx } = layout;
  const { gapPx } = options;
  const where = `${shapes.length} photos, ${JSON.stringify(options)}`;
  assert.equal(cells.length, shapes.length, `one cell per photo (${where})`);
  assert.equal(rowCounts.reduce((a, b) => a + b, 0), shapes.length, where);
  assert.ok(widthPx <= options.maxWidthPx, where);
  assert.ok(rowCounts.length === 1 || widthPx === options.maxWidthPx, `only a single row is narrower than the canvas (${where})`);

  // Rows tile the canvas exactly: cells abut with exactly gapPx between them and at every edge.
  let cellIndex = 0;
  let expectedTopPx = gapPx;
  for (const rowCount of rowCounts) {
    const row = cells.slice(cellIndex, cellIndex + rowCount);
    const rowShapes = shapes.slice(cellIndex, cellIndex + rowCount);
    cellIndex += rowCount;
    let expectedLeftPx = gapPx;
    const rowHeightPx = row[0]?.heightPx ?? 0;
    assert.ok(rowHeightPx <= options.maxRowHeightPx, `row of ${rowHeightPx} px (${where})`);
    row.forEach((cell, i) => {
      const shape = rowShapes[i] as PhotoShape;
      assert.equal(cell.leftPx, expectedLeftPx, `no hole or overlap within a row (${where})`);
      assert.equal(cell.topPx, expectedTopPx, `a row is one straight band (${where})`);
      assert.equal(cell.heightPx, rowHeightPx, where);
      assert.ok(cell.widthPx >= MONTAGE_MIN_CELL_EDGE_PX && cell.heightPx >= MONTAGE_MIN_CELL_EDGE_PX, where);
      // The photo's aspect ratio (clamped for panoramas), up to the rounding of the row's height and edges.
      const aspect = Math.min(MONTAGE_MAX_ASPECT, Math.max(1 / MONTAGE_MAX_ASPECT, shape.widthPx / shape.heightPx));
      const idealWidthPx = aspect * cell.heightPx;
      assert.ok(Math.abs(cell.widthPx - idealWidthPx) <= 1 + aspect * 0.5 + idealWidthPx * 0.02, `cell ${cell.widthPx}×${cell.heightPx} for ${shape.widthPx}×${shape.heightPx} (${where})`);
      expectedLeftPx += cell.widthPx + gapPx;
    });
    assert.equal(expectedLeftPx, widthPx, `every row spans the full width (${where})`);
    expectedTopPx += rowHeightPx + gapPx;
  }
  assert.equal(expectedTopPx, heightPx, `the rows fill the full height (${where})`);
}

test("every count from 1 to 120 of mixed phone shapes lays out cleanly at both sizes, near 3:2", () => {
  for (const options of [MONTAGE_FULL, MONTAGE_PREVIEW]) {
    for (let count = 1; count <= 120; count++) {
      const shapes = phoneShapes(count);
      const layout = montageLayout(shapes, options);
      checkLayout(shapes, options, layout);
      const aspect = layout.widthPx / layout.heightPx;
      if (count >= 6) assert.ok(aspect >= 1 && aspect <= 2.3, `${count} photos: canvas aspect ${aspect.toFixed(2)}`);
    }
  }
});

test("1,000 photos: bounded canvas, every cell recognisable, each photo's shape kept", { timeout: 60_000 }, () => {
  const shapes = phoneShapes(MONTAGE_MAX_PHOTOS, 11);
  for (const options of [MONTAGE_FULL, MONTAGE_PREVIEW]) {
    const layout = montageLayout(shapes, options);
    checkLayout(shapes, options, layout);
    assert.equal(layout.widthPx, options.maxWidthPx);
    // Rows never aim below minRowHeightPx; at the full size they aim for 3:2 and get close.
    assert.ok(layout.heightPx <= options.maxWidthPx * 1.5, `${layout.widthPx}×${layout.heightPx}`);
    assert.ok(Math.min(...layout.cells.map((c) => c.heightPx)) >= options.minRowHeightPx / 2, "no sliver rows");
  }
  // The extremes: 1,000 panoramas (clamped to 3:1) or 1,000 tall slivers (1:3) still fit the bound.
  for (const shape of [{ widthPx: 9000, heightPx: 1000 }, { widthPx: 1000, heightPx: 9000 }]) {
    for (const options of [MONTAGE_FULL, MONTAGE_PREVIEW]) {
      const shapesAlike = Array.from({ length: MONTAGE_MAX_PHOTOS }, () => shape);
      const layout = montageLayout(shapesAlike, options);
      checkLayout(shapesAlike, options, layout);
      assert.ok(layout.heightPx <= layout.widthPx * MONTAGE_MAX_HEIGHT_PER_WIDTH, `${layout.widthPx}×${layout.heightPx}`);
    }
  }
  const full = montageLayout(shapes, MONTAGE_FULL);
  assert.ok(full.widthPx / full.heightPx >= 1.2 && full.widthPx / full.heightPx <= 1.9, `${full.widthPx}×${full.heightPx}`);
});

test("property: any shapes, width, gap and row limits keep the invariants", () => {
  const options = fc
    .record({
      maxWidthPx: fc.integer({ min: 600, max: 4000 }),
      gapPx: fc.integer({ min: 0, max: 12 }),
      maxRowHeightPx: fc.integer({ min: 200, max: 1600 }),
      minRowHeightPx: fc.integer({ min: 24, max: 64 }),
      targetAspect: fc.double({ min: 0.5, max: 3, noNaN: true }),
    });
  const shape = fc.record({ widthPx: fc.integer({ min: 16, max: 9000 }), heightPx: fc.integer({ min: 16, max: 9000 }) });
  fc.assert(
    fc.property(fc.array(shape, { minLength: 1, maxLength: 150 }), options, (shapes, layoutOptions) => {
      checkLayout(shapes, layoutOptions, montageLayout(shapes, layoutOptions));
    }),
    { numRuns: 400 },
  );
});

test("a pure function of its inputs: the same photos give the same cells", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 1000 }), (count, seed) => {
      const shapes = phoneShapes(count, seed);
      assert.deepEqual(montageLayout(shapes, MONTAGE_FULL), montageLayout(shapes.map((s) => ({ ...s })), MONTAGE_FULL));
    }),
  );
});

test("familiar shapes for small events", () => {
  // One photo at the tallest row, framed by the gap, not blown up to 3000 px.
  const single = montageLayout([LANDSCAPE], MONTAGE_FULL);
  assert.deepEqual([single.widthPx, single.heightPx], [2000 + 16, 1500 + 16]);
  assert.deepEqual(single.cells[0], { leftPx: 8, topPx: 8, widthPx: 2000, heightPx: 1500 });
  const small = montageLayout([{ widthPx: 64, heightPx: 48 }], MONTAGE_FULL);
  assert.deepEqual([small.widthPx, small.heightPx], [64 + 16, 48 + 16], "a small photo is not blown up");
  const portraitPair = montageLayout([PORTRAIT, PORTRAIT], MONTAGE_FULL);
  assert.deepEqual(portraitPair.rowCounts, [2]);
  assert.deepEqual(portraitPair.cells.map((c) => [c.widthPx, c.heightPx]), [[1125, 1500], [1125, 1500]]);
  // Three landscapes fill one 3000 px row; a portrait among them is narrower, as tall.
  const mixed = montageLayout([LANDSCAPE, PORTRAIT, LANDSCAPE], MONTAGE_FULL);
  assert.deepEqual(mixed.rowCounts, [3]);
  const [a, b, c] = mixed.cells;
  assert.ok(a && b && c && b.widthPx < a.widthPx && a.heightPx === b.heightPx && Math.abs(a.widthPx - c.widthPx) <= 1);
  assert.deepEqual(montageLayout(phoneShapes(10), MONTAGE_FULL).rowCounts.length, 3);
  const squares = montageLayout(Array.from({ length: 100 }, () => SQUARE), MONTAGE_FULL).rowCounts;
  assert.deepEqual([squares.length, Math.min(...squares), Math.max(...squares)], [8, 12, 13]);
});

test("refuses requests it cannot honour", () => {
  assert.throws(() => montageLayout([], MONTAGE_FULL), RangeError);
  assert.throws(() => montageLayout([{ widthPx: 0, heightPx: 5 }], MONTAGE_FULL), RangeError);
  assert.throws(() => montageLayout([{ widthPx: 1.5, heightPx: 5 }], MONTAGE_FULL), RangeError);
  assert.throws(() => montageLayout(phoneShapes(MONTAGE_MAX_PHOTOS + 1), MONTAGE_FULL), RangeError);
  assert.throws(() => montageLayout([SQUARE], { ...MONTAGE_FULL, targetAspect: 0 }), RangeError);
  assert.throws(() => montageLayout([SQUARE], { ...MONTAGE_FULL, gapPx: -1 }), RangeError);
  assert.throws(() => montageLayout([SQUARE], { ...MONTAGE_FULL, minRowHeightPx: 4 }), RangeError);
  assert.throws(() => montageLayout(phoneShapes(500), { ...MONTAGE_FULL, maxWidthPx: 100 }), RangeError);
});
