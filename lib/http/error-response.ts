import { AppError } from "@/lib/errors";
import { httpStatusOf, retryAfterSecondsFor } from "./status";

export type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

/**
 * Maps any thrown value to a JSON error response. Known errors keep their status, and a "not now"
 * one (429, 503) says when to retry (`Retry-After`: the error's `details.retryAfterSeconds`, else
 * the code's default); anything else is a 500 that says nothing about internals (the cause goes
 * to the log instead).
 */
export function errorResponse(error: unknown, onUnexpected?: (error: unknown) => void): Response {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
    const response = Response.json(body, { status: httpStatusOf(error.code) });
    const retryAfterSeconds = retryAfterSecondsFor(error);
    if (retryAfterSeconds !== undefined) response.headers.set("retry-after", String(retryAfterSeconds));
    return response;
  }
  onUnexpected?.(error);
  const body: ErrorBody = { error: { code: "internal", message: "Something went wrong on this site; nothing was changed by this request." } };
  return Response.json(body, { status: 500 });
}

