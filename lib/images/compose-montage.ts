import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { Montage, MontageOptions, MontagePhoto } from "./montage";
import type { MontageLayout } from "./montage-layout";
import type { CellPixels } from "./render-cells";
import { sha256Hex } from "./sha256-hex";
import { sharp } from "./sharp-settings";

/** Canvas rows painted between two yields to the event loop: ≤ ~0.6 MB of copies at 3000 px. */
export const COMPOSE_BAND_ROWS = 64;

/**
 * Pastes rendered cells onto a background canvas and encodes it. The canvas is a plain
 * buffer (row copies) rather than one libvips composite per photo, which is slower and deeper
 * to pipeline with 100 photos. It is painted in bands of COMPOSE_BAND_ROWS rows (background,
 * then the cells' rows in the band), yielding to the event loop between bands, so a 3000 px
 * canvas (~20 MB) never holds the loop for more than a fraction of a millisecond at a time.
 * No metadata is written.
 */
export async function composeMontage(
  photos: readonly MontagePhoto[],
  layout: MontageLayout,
  cellPixels: readonly CellPixels[],
  options: MontageOptions,
): Promise<Montage> {
  const placed = layout.cells.map((cell, i) => {
    const pixels = cellPixels[i];
    const photo = photos[i];
    if (!pixels || !photo || pixels.widthPx !== cell.widthPx || pixels.heightPx !== cell.heightPx) {
      throw new Error(`montage: cell ${i} has no matching photo or pixels`);
    }
    return { id: photo.id, ...cell };
  });
  const rowBytes = layout.widthPx * 3;
  const canvas = Buffer.allocUnsafeSlow(rowBytes * layout.heightPx);
  const backgroundRow = Buffer.alloc(rowBytes, Uint8Array.from(options.backgroundRgb));
  for (let bandTop = 0; bandTop < layout.heightPx; bandTop += COMPOSE_BAND_ROWS) {
    const bandEnd = Math.min(layout.heightPx, bandTop + COMPOSE_BAND_ROWS);
    for (let y = bandTop; y < bandEnd; y++) canvas.set(backgroundRow, y * rowBytes);
    layout.cells.forEach((cell, i) => {
      const from = Math.max(bandTop, cell.topPx);
      const to = Math.min(bandEnd, cell.topPx + cell.heightPx);
      if (from >= to) return;
      const rgb = (cellPixels[i] as CellPixels).rgb;
      const cellRowBytes = cell.widthPx * 3;
      for (let y = from; y < to; y++) {
        const row = y - cell.topPx;
        canvas.set(rgb.subarray(row * cellRowBytes, (row + 1) * cellRowBytes), y * rowBytes + cell.leftPx * 3);
      }
    });
    if (bandEnd < layout.heightPx) await yieldToEventLoop();
  }
  const bytes = await sharp(canvas, { raw: { width: layout.widthPx, height: layout.heightPx, channels: 3 } })
    .jpeg({ quality: options.jpegQuality, progressive: options.progressive, mozjpeg: false })
    .toBuffer();
  return { bytes, sha256: await sha256Hex(bytes), widthPx: layout.widthPx, heightPx: layout.heightPx, layout: placed };
}
