import type { MontageTile } from "./montage";

/**
 * Tiles in montage order: by id, compared as UTF-16 code units (never localeCompare, whose
 * order depends on the ICU data and locale of the machine). Two tiles with one id are a bug
 * upstream and would make the order, hence the bytes, depend on the caller's order.
 */
export function sortTilesById(tiles: readonly MontageTile[]): MontageTile[] {
  const sorted = [...tiles].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  sorted.forEach((tile, i) => {
    if (i > 0 && sorted[i - 1]?.id === tile.id) throw new Error(`montage: photo id ${tile.id} appears twice`);
  });
  return sorted;
}
