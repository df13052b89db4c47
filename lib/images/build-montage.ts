import { composeMontage } from "./compose-montage";
import { MONTAGE_FULL } from "./image-sizes";
import type { Montage, MontageOptions, MontagePhoto } from "./montage";
import { montageLayout } from "./montage-layout";
import { renderCells } from "./render-cells";

/**
 * The montage of an event's photos, in the order given (the product's: capture time, then
 * upload time, then id), as justified rows that keep each photo's aspect ratio. Deterministic:
 * the layout is pure, and libvips resizes and encodes identically for identical input, so
 * every site with the same photos in the same order and the same sharp build writes the same
 * bytes.
 */
export async function buildMontage(photos: readonly MontagePhoto[], options: MontageOptions = MONTAGE_FULL): Promise<Montage> {
  assertUniqueIds(photos);
  const layout = montageLayout(photos, options);
  const cellPixels = await renderCells(photos, layout.cells);
  return composeMontage(photos, layout, cellPixels, options);
}

/** Two photos with one id are a bug upstream: the cells could not be told apart. */
function assertUniqueIds(photos: readonly MontagePhoto[]): void {
  const seen = new Set<string>();
  for (const { id } of photos) {
    if (seen.has(id)) throw new Error(`montage: photo id ${id} appears twice`);
    seen.add(id);
  }
}
