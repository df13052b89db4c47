import type { MontagePhoto } from "./montage";
import { sharp } from "./sharp-settings";

/**
 * A montage photo from bytes already in memory (tests, the benchmark): its shape read from the
 * header. The sites know each photo's shape from its row and read the bytes lazily instead.
 */
export async function montagePhotoOf(id: string, bytes: Uint8Array): Promise<MontagePhoto> {
  const { autoOrient } = await sharp(bytes).metadata();
  return { id, widthPx: autoOrient.width, heightPx: autoOrient.height, read: () => Promise.resolve(bytes) };
}
