import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { MONTAGE_FULL, MONTAGE_PREVIEW } from "./image-sizes";
import { montageLayout, MONTAGE_MIN_CELL_EDGE_PX, type MontageLayout, type MontageLayoutOptions } from "./montage-layout";

/** The invariants every layout must keep; returns nothing, throws on the first violation. */
function checkLayout(count: number, options: MontageLayoutOptions, layout: MontageLayout): void {
  const { cells, rowCounts, widthPx, heightPx } = layout;
  const { gapPx } = options;
  const where = `${count} photos, ${JSON.stringify(options)}`;
  assert.equal(cells.length, count, `one cell per photo (${where})`);
  assert.equal(rowCounts.reduce((a, b) => a + b, 0), count, where);
  assert.ok(Math.max(...rowCounts) - Math.min(...rowCounts) <= 1, `rows of k and k+1 only: ${rowCounts} (${where})`);
  assert.ok(widthPx <= options.maxWidthPx, where);

  // Rows tile the canvas exactly: cells abut with exactly gapPx between them and at every edge.
  let cellIndex = 0;
  let expectedTopPx = gapPx;
  for (const rowCount of rowCounts) {
    const row = cells.slice(cellIndex, cellIndex + rowCount);
    cellIndex += rowCount;
    let expectedLeftPx = gapPx;
    const rowHeightPx = row[0]?.heightPx ?? 0;
    for (const cell of row) {
      assert.equal(cell.leftPx, expectedLeftPx, `no hole or overlap within a row (${where})`);
      assert.equal(cell.topPx, expectedTopPx, `a row is one straight band (${where})`);
      assert.equal(cell.heightPx, rowHeightPx, where);
      assert.ok(cell.widthPx >= MONTAGE_MIN_CELL_EDGE_PX && cell.heightPx >= MONTAGE_MIN_CELL_EDGE_PX, where);
      assert.ok(cell.widthPx <= options.maxCellEdgePx && cell.heightPx <= options.maxCellEdgePx, `tiles are never enlarged (${where})`);
      // Square tiles into square-ish cells: at most the one pixel of rounding.
      assert.ok(cell.widthPx - cell.heightPx >= 0 && cell.widthPx - cell.heightPx <= 1, `cell ${cell.widthPx}×${cell.heightPx} (${where})`);
      expectedLeftPx += cell.widthPx + gapPx;
    }
    assert.equal(expectedLeftPx, widthPx, `every row spans the full width (${where})`);
    expectedTopPx += rowHeightPx + gapPx;
  }
  assert.equal(expectedTopPx, heightPx, `the rows fill the full height (${where})`);

  // Independently of the row structure: no two cells overlap, and cells plus gaps are the canvas.
  for (let i = 0; i < cells.length; i++) {
    for (let j = i + 1; j < cells.length; j++) {
      const [a, b] = [cells[i], cells[j]];
      if (!a || !b) continue;
      const apart =
        a.leftPx + a.widthPx <= b.leftPx || b.leftPx + b.widthPx <= a.leftPx || a.topPx + a.heightPx <= b.topPx || b.topPx + b.heightPx <= a.topPx;
      assert.ok(apart, `cells ${i} and ${j} overlap (${where})`);
    }
  }
  const cellAreaPx = cells.reduce((sum, c) => sum + c.widthPx * c.heightPx, 0);
  const gapAreaPx = rowCounts.reduce((sum, n, row) => sum + (n + 1) * gapPx * (cells[rowStart(rowCounts, row)]?.heightPx ?? 0), 0) + (rowCounts.length + 1) * gapPx * widthPx;
  assert.equal(cellAreaPx + gapAreaPx, widthPx * heightPx, `cells and gaps cover the canvas exactly (${where})`);
}

function rowStart(rowCounts: readonly number[], row: number): number {
  return rowCounts.slice(0, row).reduce((a, b) => a + b, 0);
}

test("every count from 1 to 120 lays out cleanly at both montage sizes", () => {
  for (const options of [MONTAGE_FULL, MONTAGE_PREVIEW]) {
    for (let count = 1; count <= 120; count++) {
      const layout = montageLayout(count, options);
      checkLayout(count, options, layout);
      const aspect = layout.widthPx / layout.heightPx;
      assert.ok(aspect >= 0.9 && aspect <= 3.1, `${count} photos: canvas aspect ${aspect.toFixed(2)}`);
    }
  }
});

test("with no gaps the cells alone cover the canvas exactly", () => {
  for (let count = 1; count <= 120; count++) {
    const layout = montageLayout(count, { ...MONTAGE_FULL, gapPx: 0 });
    const cellAreaPx = layout.cells.reduce((sum, c) => sum + c.widthPx * c.heightPx, 0);
    assert.equal(cellAreaPx, layout.widthPx * layout.heightPx, `${count} photos`);
  }
});

test("property: any count, width, gap, cell cap and aspect keeps the invariants", () => {
  const options = fc.record({
    maxWidthPx: fc.integer({ min: 600, max: 4000 }),
    gapPx: fc.integer({ min: 0, max: 12 }),
    maxCellEdgePx: fc.integer({ min: 64, max: 1024 }),
    targetAspect: fc.double({ min: 0.5, max: 3, noNaN: true }),
  });
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 120 }), options, (count, layoutOptions) => {
      checkLayout(count, layoutOptions, montageLayout(count, layoutOptions));
    }),
    { numRuns: 500 },
  );
});

test("property: the layout is a pure function of its inputs", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 120 }), (count) => {
      assert.deepEqual(montageLayout(count, MONTAGE_FULL), montageLayout(count, MONTAGE_FULL));
      // Row counts depend only on count and aspect, so the preview pairs cell for cell with the download.
      assert.deepEqual(montageLayout(count, MONTAGE_PREVIEW).rowCounts, montageLayout(count, MONTAGE_FULL).rowCounts);
    }),
  );
});

test("familiar shapes for small events", () => {
  const rows = (count: number): readonly number[] => montageLayout(count, MONTAGE_FULL).rowCounts;
  assert.deepEqual(rows(1), [1]);
  assert.deepEqual(rows(2), [2]);
  assert.deepEqual(rows(3), [3]);
  assert.deepEqual(rows(4), [2, 2]);
  assert.deepEqual(rows(5), [2, 3]);
  assert.deepEqual(rows(6), [3, 3]);
  assert.deepEqual(rows(10), [3, 3, 4]);
  assert.deepEqual(rows(100), [12, 13, 12, 13, 12, 13, 12, 13]);
  // One photo is shown at tile size, framed by the gap, not blown up to 3000 px.
  const single = montageLayout(1, MONTAGE_FULL);
  assert.deepEqual([single.widthPx, single.heightPx], [768 + 16, 768 + 16]);
});

test("refuses requests it cannot honour", () => {
  assert.throws(() => montageLayout(0, MONTAGE_FULL), RangeError);
  assert.throws(() => montageLayout(1.5, MONTAGE_FULL), RangeError);
  assert.throws(() => montageLayout(1001, MONTAGE_FULL), RangeError);
  assert.throws(() => montageLayout(5, { ...MONTAGE_FULL, targetAspect: 0 }), RangeError);
  assert.throws(() => montageLayout(5, { ...MONTAGE_FULL, gapPx: -1 }), RangeError);
  assert.throws(() => montageLayout(120, { ...MONTAGE_FULL, maxWidthPx: 100 }), RangeError);
});
