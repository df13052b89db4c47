/**
 * The one error type of the product. `status` is the HTTP status it maps to; `definite` says
 * whether the outcome is known (false: the operation may still happen, e.g. after a timeout).
 */
export class AppError extends Error {
  override name = "AppError";
  readonly code: string;
  readonly status: number;
  readonly definite: boolean;
  readonly details?: Record<string, unknown>;

  constructor(options: { code: string; status: number; message: string; definite?: boolean; details?: Record<string, unknown> }) {
    super(options.message);
    this.code = options.code;
    this.status = options.status;
    this.definite = options.definite ?? true;
    this.details = options.details;
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError({ code: "bad_request", status: 400, message, details });
export const unauthorized = (message: string) => new AppError({ code: "unauthorized", status: 401, message });
export const forbidden = (message: string) => new AppError({ code: "forbidden", status: 403, message });
export const notFound = (message: string) => new AppError({ code: "not_found", status: 404, message });
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError({ code, status: 409, message, details });
export const tooLarge = (message: string) => new AppError({ code: "too_large", status: 413, message });
export const unsupportedType = (message: string) => new AppError({ code: "unsupported_type", status: 415, message });
export const unprocessable = (message: string, details?: Record<string, unknown>) =>
  new AppError({ code: "invalid", status: 422, message, details });

/**
 * The HTTP status of a product rule's refusal (`rules.ts`), one table for every command: who is
 * asking is wrong → 403, the thing is not there → 404, the event's state says no → 409.
 */
const refusalStatus: Record<string, number> = { unknown_event: 404, unknown_photo: 404, not_contributor: 403, not_yours: 403 };

export const refused = (refusal: { code: string; message: string }) =>
  new AppError({ code: refusal.code, status: refusalStatus[refusal.code] ?? 409, message: refusal.message });
