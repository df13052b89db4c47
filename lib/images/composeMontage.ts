import type { Montage, MontageOptions, MontageTile } from "./montage";
import type { MontageLayout } from "./montageLayout";
import type { CellPixels } from "./renderCells";
import { sha256Hex } from "./sha256Hex";
import { sharp } from "./sharpSettings";

/**
 * Pastes rendered cells onto a background canvas and encodes it. The canvas is a plain
 * buffer (a row copy per cell line, a few ms for 3000 px) rather than one libvips composite
 * per photo, which is slower and deeper to pipeline with 100 photos. No metadata is written.
 */
export async function composeMontage(
  sortedTiles: readonly MontageTile[],
  layout: MontageLayout,
  cellPixels: readonly CellPixels[],
  options: MontageOptions,
): Promise<Montage> {
  const canvas = Buffer.alloc(layout.widthPx * layout.heightPx * 3, Uint8Array.from(options.backgroundRgb));
  const placed = layout.cells.map((cell, i) => {
    const pixels = cellPixels[i];
    const tile = sortedTiles[i];
    if (!pixels || !tile || pixels.widthPx !== cell.widthPx || pixels.heightPx !== cell.heightPx) {
      throw new Error(`montage: cell ${i} has no matching tile or pixels`);
    }
    const rowBytes = cell.widthPx * 3;
    for (let y = 0; y < cell.heightPx; y++) {
      canvas.set(pixels.rgb.subarray(y * rowBytes, (y + 1) * rowBytes), ((cell.topPx + y) * layout.widthPx + cell.leftPx) * 3);
    }
    return { id: tile.id, ...cell };
  });
  const bytes = await sharp(canvas, { raw: { width: layout.widthPx, height: layout.heightPx, channels: 3 } })
    .jpeg({ quality: options.jpegQuality, progressive: options.progressive, mozjpeg: false })
    .toBuffer();
  return { bytes, sha256: await sha256Hex(bytes), widthPx: layout.widthPx, heightPx: layout.heightPx, layout: placed };
}
