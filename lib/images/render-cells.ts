import type { MontageTile } from "./montage";
import type { MontageCell } from "./montage-layout";
import { sharp } from "./sharp-settings";

/** Raw 8-bit RGB pixels of one montage cell, row by row. */
export interface CellPixels {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly rgb: Uint8Array;
}

/**
 * Pipelines in flight at once. Each is decoded on the libuv pool, but setting one up is ~1 ms of
 * JavaScript on the event loop: submitting all 50 cells of a montage at once held the loop for
 * tens of milliseconds (10 cells: 8-17 ms measured). A few at a time keep the pool busy and
 * the loop free between them.
 */
export const CELLS_IN_FLIGHT = 4;

/** Each tile decoded and cover-cropped (centred) to exactly its cell, as raw RGB, in cell order. */
export async function renderCells(tiles: readonly MontageTile[], cells: readonly MontageCell[]): Promise<CellPixels[]> {
  if (tiles.length !== cells.length) throw new Error(`montage: ${tiles.length} tiles for ${cells.length} cells`);
  const out: CellPixels[] = new Array<CellPixels>(cells.length);
  let next = 0;
  const worker = async () => {
    while (next < cells.length) {
      const i = next++;
      const tile = tiles[i];
      const cell = cells[i];
      if (!tile || !cell) throw new Error(`montage: no tile for cell ${i}`);
      out[i] = await renderCell(tile, cell);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CELLS_IN_FLIGHT, cells.length) }, worker));
  return out;
}

async function renderCell(tile: MontageTile, cell: MontageCell): Promise<CellPixels> {
  try {
    return await coverResize(sharp(tile.bytes, { failOn: "error" }).flatten({ background: "#ffffff" }), cell);
  } catch (cause) {
    throw new Error(`montage: tile of photo ${tile.id} could not be rendered`, { cause });
  }
}

/** A cell rendered at another size (the preview's) from an already rendered one: no JPEG decode. */
export function resizeCell(pixels: CellPixels, cell: MontageCell): Promise<CellPixels> {
  const input = sharp(pixels.rgb, { raw: { width: pixels.widthPx, height: pixels.heightPx, channels: 3 } });
  return coverResize(input, cell);
}

async function coverResize(image: ReturnType<typeof sharp>, cell: MontageCell): Promise<CellPixels> {
  const { data, info } = await image
    .resize({ width: cell.widthPx, height: cell.heightPx, fit: "cover", position: "centre" })
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== cell.widthPx || info.height !== cell.heightPx || info.channels !== 3) {
    throw new Error(`montage: cell rendered as ${info.width}×${info.height}×${info.channels}, expected ${cell.widthPx}×${cell.heightPx}×3`);
  }
  return { widthPx: info.width, heightPx: info.height, rgb: data };
}
