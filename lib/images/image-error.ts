import { AppError, type ImageCode } from "@/lib/errors";

/**
 * Why an uploaded photo was refused. Every rejection is definite: nothing was stored, and
 * retrying the same bytes gives the same answer. `message` is shown to the uploader, so it says
 * what is wrong in plain words; lib/http/status.ts gives the code its status (413 / 415 / 422).
 */
export function imageError(code: ImageCode, message: string, options?: { cause?: unknown }): AppError {
  return new AppError(code, message, options);
}
