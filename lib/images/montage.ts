import type { MontageCell, MontageLayoutOptions } from "./montage-layout";

export interface MontageTile {
  /** The photo's id: fixes its place, so the same photo set gives the same montage. */
  readonly id: string;
  /** The tile processUpload made (any decodable image works: it is cover-cropped to its cell). */
  readonly bytes: Uint8Array;
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
  /** Where each photo is, in id order: lets the page link a click on the montage to a photo. */
  readonly layout: readonly PlacedCell[];
}
