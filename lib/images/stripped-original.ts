import type { ExifFacts } from "./exif-facts";
import type { ImageType } from "./image-type";

/** An uploaded photo's bytes without its private metadata (what groupshot keeps as the original). */
export interface StrippedOriginal {
  readonly bytes: Uint8Array;
  /** What was read from its EXIF before it was removed. */
  readonly facts: ExifFacts;
  /** True when the pixels had to be encoded again (the container could not be cleaned in place). */
  readonly reencoded: boolean;
  /** The original's format when it is not the upload's (a HEIC converted to JPEG). */
  readonly type?: ImageType;
}
