/** The photo formats groupshot accepts, as recognised from their bytes (SPEC §1). */
export const IMAGE_TYPES = ["jpeg", "png", "webp", "avif", "heic"] as const;

export type ImageType = (typeof IMAGE_TYPES)[number];
