import { composeMontage } from "./compose-montage";
import { MONTAGE_FULL } from "./image-sizes";
import type { Montage, MontageOptions, MontageTile } from "./montage";
import { montageLayout } from "./montage-layout";
import { renderCells } from "./render-cells";
import { sortTilesById } from "./sort-tiles-by-id";

/**
 * The montage of an event's photos, built from their tiles. Deterministic: photos are placed
 * in id order, the layout is pure, and libvips resizes and encodes identically for identical
 * input, so every site with the same tiles and the same sharp build writes the same bytes.
 * For both the download and the page image at once, buildMontages decodes each tile once.
 */
export async function buildMontage(tiles: readonly MontageTile[], options: MontageOptions = MONTAGE_FULL): Promise<Montage> {
  const sortedTiles = sortTilesById(tiles);
  const layout = montageLayout(sortedTiles.length, options);
  const cellPixels = await renderCells(sortedTiles, layout.cells);
  return composeMontage(sortedTiles, layout, cellPixels, options);
}
