import type { AppError, ErrorCode } from "@/lib/errors";

/**
 * The one table from an error code to its HTTP status (in the style of dub's
 * errorCodeToHttpStatus). Exhaustive: a new code does not compile until it has a status here.
 * Who is asking is wrong → 401/403; the thing is not there → 404; the event's state says no → 409;
 * the bytes are wrong → 413/415/422; this site cannot answer now → 503.
 */
export const errorCodeToHttpStatus = {
  bad_request: 400,
  malformed_url: 400,
  url_too_long: 414,
  request_timeout: 408,
  client_disconnected: 400,
  unsafe_name: 400,
  malformed_multipart: 400,
  invalid: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  too_large: 413,
  range_not_satisfiable: 416,
  unsupported_type: 415,
  too_many_streams: 429,
  uploads_busy: 503,
  admin_token_refused: 403,
  length_required: 411,
  too_many_calls: 429,

  unknown_event: 404,
  unknown_photo: 404,
  not_contributor: 403,
  not_yours: 403,
  not_creator: 403,
  event_closed: 409,
  published: 409,
  window_open: 409,
  window_closed: 409,
  duplicate: 409,
  photo_limit: 409,
  contributor_limit: 409,
  unknown_version: 409,
  superseded: 409,
  already_cast: 409,
  round_closed: 409,
  unknown_round: 409,
  too_few_contributors: 409,
  busy: 409,
  event_exists: 409,
  missing_data: 409,
  malformed: 422,
  stale_version: 409,
  stale_round: 409,
  contributors_differ: 409,
  unreadable_ballots: 409,

  aborted: 409,

  image_too_large: 413,
  image_type_unsupported: 415,
  image_video_unsupported: 415,
  image_undecodable: 422,
  image_too_many_pixels: 422,
  image_too_small: 422,

  starting: 503,
  engine_unavailable: 503,
  overloaded: 503,
  storage_unavailable: 503,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

export function httpStatusOf(code: ErrorCode): number {
  return errorCodeToHttpStatus[code];
}

/**
 * Seconds a client should wait before retrying (the `Retry-After` header), for every answer that
 * says "not now" (429, 503); undefined for the rest, which a retry does not change.
 */
export function retryAfterSecondsOf(code: ErrorCode): number | undefined {
  const status = httpStatusOf(code);
  if (status === 503) return code === "starting" ? 1 : 2;
  if (status === 429) return 5;
  return undefined;
}

/** The `Retry-After` of a refused request: the error's own `details.retryAfterSeconds` when it names one, else its code's default. */
export function retryAfterSecondsFor(error: AppError): number | undefined {
  const byDefault = retryAfterSecondsOf(error.code);
  if (byDefault === undefined) return undefined;
  const given = error.details?.retryAfterSeconds;
  return typeof given === "number" && Number.isInteger(given) && given >= 0 ? given : byDefault;
}
