import { buildMontage } from "./build-montage";
import { MONTAGE_FULL, MONTAGE_PREVIEW } from "./image-sizes";
import type { Montage, MontageOptions, MontagePhoto } from "./montage";

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
 * The download and the page montage of one photo set: the same bytes as buildMontage for each
 * size, which is how sites build them (the page image first and alone, since a refresh waits
 * for it; the download later or on demand). Built one after the other, preview first: each
 * decodes the photos for its own cells (JPEG shrink-on-load makes the preview's decodes cheap).
 */
export async function buildMontages(photos: readonly MontagePhoto[], sizes: MontageSizes = { full: MONTAGE_FULL, preview: MONTAGE_PREVIEW }): Promise<MontagePair> {
  const preview = await buildMontage(photos, sizes.preview);
  const full = await buildMontage(photos, sizes.full);
  return { full, preview };
}
