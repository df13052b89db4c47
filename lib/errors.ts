// The one error type of the app and its closed set of codes. Every layer throws `AppError` with a
// code from this list; lib/http/status.ts is the one table from a code to an HTTP status. Nothing
// decides anything by reading a message: messages are for people.

/** Something about the request itself (its shape, size, sender or rate). */
export const REQUEST_CODES = [
  "bad_request",
  "malformed_url",
  "url_too_long",
  "request_timeout",
  "client_disconnected",
  "unsafe_name",
  "invalid",
  "malformed_multipart",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "too_large",
  "range_not_satisfiable",
  "unsupported_type",
  "too_many_streams",
  "uploads_busy",
  "admin_token_refused",
  "length_required",
  "too_many_calls",
] as const;

/**
 * A product rule said no (lib/product/rules.ts) — at this site before any transaction, or in a
 * participant's NO vote, which carries the same code to the coordinator.
 */
export const REFUSAL_CODES = [
  "unknown_event",
  "unknown_photo",
  "not_contributor",
  "not_yours",
  "not_creator",
  "event_closed",
  "published",
  "window_open",
  "window_closed",
  "duplicate",
  "photo_limit",
  "contributor_limit",
  "unknown_version",
  "superseded",
  "already_cast",
  "round_closed",
  "unknown_round",
  "too_few_contributors",
  "busy",
  "event_exists",
  "missing_data",
  "malformed",
  "stale_version",
  "stale_round",
  "contributors_differ",
  "unreadable_ballots",
] as const;

/** A transaction ended without the change, for a reason no rule here names (a site was down, …). */
export const OUTCOME_CODES = ["aborted"] as const;

/** The uploaded bytes were refused (lib/images). Definite: retrying the same bytes gives the same answer. */
export const IMAGE_CODES = [
  "image_too_large",
  "image_type_unsupported",
  "image_video_unsupported",
  "image_undecodable",
  "image_too_many_pixels",
  "image_too_small",
] as const;

/**
 * This site cannot serve the request right now: it is starting, its engine is stopped or has as
 * much queued for a peer as it holds (`overloaded`), or its database is busy or full
 * (`storage_unavailable`). Nothing was changed; the answer says when to try again (Retry-After).
 */
export const SITE_CODES = ["starting", "engine_unavailable", "overloaded", "storage_unavailable", "internal"] as const;

export type RequestCode = (typeof REQUEST_CODES)[number];
export type RefusalCode = (typeof REFUSAL_CODES)[number];
export type ImageCode = (typeof IMAGE_CODES)[number];
export type ErrorCode = RequestCode | RefusalCode | (typeof OUTCOME_CODES)[number] | ImageCode | (typeof SITE_CODES)[number];

const refusalCodes: ReadonlySet<string> = new Set(REFUSAL_CODES);

/** True for a product rule's code (e.g. one carried by a participant's NO vote). */
export function isRefusalCode(code: string | undefined): code is RefusalCode {
  return code !== undefined && refusalCodes.has(code);
}

/**
 * Marks an AppError whichever bundle made it. Next.js bundles instrumentation (which builds the
 * site context, lib/server/boot.ts) apart from each route, so an error thrown by a part of the
 * context is an instance of another copy of this class; `instanceof AppError` checks the mark.
 */
const appErrorMark = Symbol.for("groupshot.AppError");

export class AppError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[appErrorMark] === true;
  }

  readonly [appErrorMark] = true;
  override name = "AppError";
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  /** False when the outcome is not known (the operation may still happen, e.g. after a timeout). */
  readonly definite: boolean;

  constructor(code: ErrorCode, message: string, options?: { details?: Record<string, unknown>; definite?: boolean; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
    this.definite = options?.definite ?? true;
  }
}


type Details = Record<string, unknown>;
export const badRequest = (message: string, details?: Details) => new AppError("bad_request", message, { details });
export const unauthorized = (message: string) => new AppError("unauthorized", message);
export const forbidden = (message: string) => new AppError("forbidden", message);
export const notFound = (message: string) => new AppError("not_found", message);
export const tooLarge = (message: string) => new AppError("too_large", message);
export const unsupportedType = (message: string) => new AppError("unsupported_type", message);
export const unprocessable = (message: string, details?: Details) => new AppError("invalid", message, { details });
/** A product rule's refusal as the error a command throws. */
export const refused = (refusal: { code: RefusalCode; message: string }) => new AppError(refusal.code, refusal.message);
