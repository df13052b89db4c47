import type { MontagePhoto } from "./montage";
import type { MontageCell } from "./montage-layout";
import { sharp } from "./sharp-settings";

/** Raw 8-bit RGB pixels of one montage cell, row by row. */
export interface CellPixels {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly rgb: Uint8Array;
}

/**
 * Pipelines in flight at once, and so source images in memory at once (a 1,000-photo montage
 * reads its display images a few at a time, never all). Each is decoded on the libuv pool, but
 * setting one up is ~1 ms of JavaScript on the event loop: submitting all 50 cells of a montage
 * at once held the loop for tens of milliseconds (10 cells: 8-17 ms measured). A few at a time
 * keep the pool busy and the loop free between them.
 */
export const CELLS_IN_FLIGHT = 4;

/** Each photo read, decoded and resized to exactly its cell, as raw RGB, in cell order. */
export async function renderCells(photos: readonly MontagePhoto[], cells: readonly MontageCell[]): Promise<CellPixels[]> {
  if (photos.length !== cells.length) throw new Error(`montage: ${photos.length} photos for ${cells.length} cells`);
  const out: CellPixels[] = new Array<CellPixels>(cells.length);
  let next = 0;
  const worker = async () => {
    while (next < cells.length) {
      const i = next++;
      const photo = photos[i];
      const cell = cells[i];
      if (!photo || !cell) throw new Error(`montage: no photo for cell ${i}`);
      out[i] = await renderCell(photo, cell);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CELLS_IN_FLIGHT, cells.length) }, worker));
  return out;
}

/**
 * The cell has the photo's aspect ratio up to a pixel of rounding (or the clamped one of a
 * panorama), so "cover" crops at most that; JPEG shrink-on-load makes a small cell's decode
 * of a large display image cheap.
 */
async function renderCell(photo: MontagePhoto, cell: MontageCell): Promise<CellPixels> {
  try {
    const { data, info } = await sharp(await photo.read(), { failOn: "error" })
      .resize({ width: cell.widthPx, height: cell.heightPx, fit: "cover", position: "centre" })
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== cell.widthPx || info.height !== cell.heightPx || info.channels !== 3) {
      throw new Error(`montage: cell rendered as ${info.width}×${info.height}×${info.channels}, expected ${cell.widthPx}×${cell.heightPx}×3`);
    }
    return { widthPx: info.width, heightPx: info.height, rgb: data };
  } catch (cause) {
    throw new Error(`montage: photo ${photo.id} could not be rendered`, { cause });
  }
}
