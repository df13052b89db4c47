/**
 * Why an uploaded photo was refused. Every rejection is definite: nothing was stored, and
 * retrying the same bytes gives the same answer. The app's error mapper turns `status` into
 * the HTTP status and `code` / `message` into the JSON error body (SPEC §5).
 */
export type ImageErrorCode =
  | "image_too_large"
  | "image_type_unsupported"
  | "image_undecodable"
  | "image_too_many_pixels"
  | "image_too_small";

const STATUS_BY_CODE = {
  image_too_large: 413,
  image_type_unsupported: 415,
  image_undecodable: 422,
  image_too_many_pixels: 422,
  image_too_small: 422,
} as const satisfies Record<ImageErrorCode, number>;

export type ImageErrorStatus = (typeof STATUS_BY_CODE)[ImageErrorCode];

export class ImageError extends Error {
  override readonly name = "ImageError";
  readonly code: ImageErrorCode;
  readonly status: ImageErrorStatus;

  /** `message` is shown to the uploader, so it says what is wrong in plain words. */
  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = STATUS_BY_CODE[code];
  }
}
