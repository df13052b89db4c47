import type { MontageCell, MontageLayoutOptions, PhotoShape } from "./montage-layout";

export interface MontagePhoto extends PhotoShape {
  /** The photo's id: names its cell in the layout; two photos with one id are refused. */
  readonly id: string;
  /**
   * The upright image to paint (the display image processUpload made; any decodable image
   * works: it is resized to its cell). Read when its cell is rendered, so only a few sources
   * are in memory at once whatever the number of photos. `widthPx × heightPx` is its shape.
   */
  readonly read: () => Promise<Uint8Array>;
}

export interface MontageOptions extends MontageLayoutOptions {
  readonly jpegQuality: number;
  /** Progressive paints early on a page; baseline encodes in about half the CPU time. */
  readonly progressive: boolean;
  readonly backgroundRgb: readonly [number, number, number];
}

export interface PlacedCell extends MontageCell {
  readonly id: string;
}

export interface Montage {
  readonly bytes: Uint8Array;
  /** Hex SHA-256 of `bytes`. */
  readonly sha256: string;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Where each photo is, in montage order: lets the page link a click on the montage to a photo. */
  readonly layout: readonly PlacedCell[];
}
