import type { OutputInfo } from "sharp";
import { sha256Hex } from "./sha256-hex";

/** An image this library wrote, with its content address. */
export interface EncodedImage {
  readonly bytes: Uint8Array;
  /** Hex SHA-256 of `bytes`: a content address (equal bytes, equal name, on every site). */
  readonly sha256: string;
  readonly widthPx: number;
  readonly heightPx: number;
}

export async function encodedImage(data: Uint8Array, info: OutputInfo): Promise<EncodedImage> {
  return { bytes: data, sha256: await sha256Hex(data), widthPx: info.width, heightPx: info.height };
}
