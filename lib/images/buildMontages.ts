import { composeMontage } from "./composeMontage";
import { MONTAGE_FULL, MONTAGE_PREVIEW } from "./imageSizes";
import type { Montage, MontageOptions, MontageTile } from "./montage";
import { montageLayout } from "./montageLayout";
import { renderCells, resizeCell } from "./renderCells";
import { sortTilesById } from "./sortTilesById";

export interface MontageSizes {
  readonly full: MontageOptions;
  readonly preview: MontageOptions;
}

export interface MontagePair {
  /** For download (and publication). */
  readonly full: Montage;
  /** For the event page. */
  readonly preview: Montage;
}

/**
 * The download and the page montage together. Decoding tiles is most of the cost, so each
 * tile is decoded once, for the full montage, and the preview's cells are scaled down from
 * those pixels. The row counts depend only on the photo count and the target aspect, so
 * cell i is the same photo in both layouts. Byte-identical to building the preview from the
 * tiles directly? No (one more resampling step), but just as deterministic.
 */
export async function buildMontages(tiles: readonly MontageTile[], sizes: MontageSizes = { full: MONTAGE_FULL, preview: MONTAGE_PREVIEW }): Promise<MontagePair> {
  const sortedTiles = sortTilesById(tiles);
  const fullLayout = montageLayout(sortedTiles.length, sizes.full);
  const previewLayout = montageLayout(sortedTiles.length, sizes.preview);
  if (fullLayout.rowCounts.join() !== previewLayout.rowCounts.join()) {
    throw new Error("buildMontages: full and preview sizes must share targetAspect so their rows match");
  }
  const fullCells = await renderCells(sortedTiles, fullLayout.cells);
  const previewCells = await Promise.all(
    previewLayout.cells.map((cell, i) => {
      const source = fullCells[i];
      if (!source) throw new Error(`buildMontages: no full-size cell ${i}`);
      return resizeCell(source, cell);
    }),
  );
  const [full, preview] = await Promise.all([
    composeMontage(sortedTiles, fullLayout, fullCells, sizes.full),
    composeMontage(sortedTiles, previewLayout, previewCells, sizes.preview),
  ]);
  return { full, preview };
}
