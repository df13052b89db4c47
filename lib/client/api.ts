// The browser's one client for the public JSON API (SPEC §5). One function per operation;
// every answer is checked against the contract's zod schema, every failure becomes an
// ApiError carrying the server's own message. Components never call fetch themselves.
import { z } from "zod";
import {
  addPhotoAnswer,
  adminLinkAnswer,
  setClosedAnswer,
  type AdminLinkAnswer,
  type SetClosedAnswer,
  ballotAnswer,
  createEventAnswer,
  currentSessionAnswer,
  errorBody,
  eventView,
  healthAnswer,
  publishedAnswer,
  removePhotoAnswer,
  sessionAnswer,
  transactionAnswer,
  type AddPhotoAnswer,
  type BallotAnswer,
  type CreateEventAnswer,
  type EventView,
  type HealthAnswer,
  type PublishedItem,
  type RemovePhotoAnswer,
  type SessionAnswer,
  type TransactionAnswer,
} from "@/lib/api/contract";
import { statusLogAnswer, type StatusLogLine } from "./status-log";

/**
 * A failed API call. `status` is the HTTP status, or 0 when no answer arrived at all; then
 * `definite` is false, because the request may still have taken effect on the site.
 */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly definite: boolean;
  readonly details?: Record<string, unknown>;

  constructor(options: { status: number; code: string; message: string; definite?: boolean; details?: Record<string, unknown> }) {
    super(options.message);
    this.status = options.status;
    this.code = options.code;
    this.definite = options.definite ?? true;
    this.details = options.details;
  }
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiError };

type RequestOptions = {
  method?: "GET" | "POST" | "DELETE";
  json?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
};

/** Statuses the server should always explain itself; a fallback for when it does not. */
function fallbackMessage(status: number): string {
  if (status === 404) return "Not found on this site.";
  if (status === 413) return "This file is too large.";
  if (status === 415) return "This type of file is not accepted.";
  if (status >= 500) return "Something went wrong on this site; please try again.";
  return `The site refused the request (HTTP ${status}).`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Turns a status and body text into a typed result; shared by fetch and XMLHttpRequest. */
export function interpretAnswer<S extends z.ZodType>(schema: S, status: number, text: string): ApiResult<z.output<S>> {
  const body = parseJson(text);
  if (status < 200 || status >= 300) {
    const parsed = errorBody.safeParse(body);
    if (parsed.success) {
      const { code, message, details } = parsed.data.error;
      return { ok: false, error: new ApiError({ status, code, message, details }) };
    }
    return { ok: false, error: new ApiError({ status, code: `http_${status}`, message: fallbackMessage(status) }) };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    console.warn("groupshot: an answer did not match the contract", status, z.prettifyError(parsed.error));
    return {
      ok: false,
      error: new ApiError({ status, code: "unexpected_answer", message: "The site answered in a format this page does not understand. Try reloading." }),
    };
  }
  return { ok: true, status, data: parsed.data };
}

const networkError = () =>
  new ApiError({
    status: 0,
    code: "network",
    definite: false,
    message: "Could not reach this site. Check your connection; the request may still have been received.",
  });

const abortedError = () => new ApiError({ status: 0, code: "aborted", definite: false, message: "Cancelled." });

async function request<S extends z.ZodType>(schema: S, path: string, options: RequestOptions = {}): Promise<ApiResult<z.output<S>>> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.json !== undefined) headers["content-type"] = "application/json";
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  let response: Response;
  let text: string;
  try {
    response = await fetch(path, {
      method: options.method ?? "GET",
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      cache: "no-store",
      credentials: "same-origin",
      signal: options.signal,
    });
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted) return { ok: false, error: abortedError() };
    console.warn("groupshot: request failed", path, error);
    return { ok: false, error: networkError() };
  }
  return interpretAnswer(schema, response.status, text);
}

const segment = (id: string) => encodeURIComponent(id);

// ---- session ----

export async function getSession(): Promise<ApiResult<SessionAnswer | null>> {
  const result = await request(currentSessionAnswer, "/api/session");
  return result.ok ? { ...result, data: result.data.user } : result;
}

export function createSession(name: string): Promise<ApiResult<SessionAnswer>> {
  return request(sessionAnswer, "/api/session", { method: "POST", json: { name } });
}

/** DELETE /api/session: signs out (the site clears the cookie). */
export async function deleteSession(): Promise<ApiResult<null>> {
  const result = await request(currentSessionAnswer, "/api/session", { method: "DELETE" });
  return result.ok ? { ...result, data: null } : result;
}

// ---- events ----

/** `minContributors`: contributors the event needs before a round can open (absent: 1). */
export function createEvent(options: { title: string; minContributors?: number; idempotencyKey: string }): Promise<ApiResult<CreateEventAnswer>> {
  const json = options.minContributors === undefined || options.minContributors === 1 ? { title: options.title } : { title: options.title, minContributors: options.minContributors };
  return request(createEventAnswer, "/api/events", { method: "POST", json, idempotencyKey: options.idempotencyKey });
}

export function getEvent(eventId: string, signal?: AbortSignal): Promise<ApiResult<EventView>> {
  return request(eventView, `/api/events/${segment(eventId)}`, { signal });
}

/** Server-Sent Events: each message means "something changed, fetch the event again". */
export function eventStreamUrl(eventId: string): string {
  return `/api/events/${segment(eventId)}/stream`;
}

export function castBallot(options: {
  eventId: string;
  montageVersion: number;
  round: number;
  decision: "accept" | "reject";
  reason?: string | undefined;
}): Promise<ApiResult<BallotAnswer>> {
  const { montageVersion, round, decision, reason } = options;
  return request(ballotAnswer, `/api/events/${segment(options.eventId)}/ballots`, {
    method: "POST",
    json: { montageVersion, round, decision, ...(reason ? { reason } : {}) },
  });
}

/** Removes a photo (the viewer's own, or any for the event's creator): 200 committed or 202 pending. */
export function removePhoto(options: { eventId: string; photoId: string; idempotencyKey: string }): Promise<ApiResult<RemovePhotoAnswer>> {
  return request(removePhotoAnswer, `/api/events/${segment(options.eventId)}/photos/${segment(options.photoId)}`, {
    method: "DELETE",
    idempotencyKey: options.idempotencyKey,
  });
}

/** Hands the admin link's token to the site: the session gets the creator's rights on the event. */
export function claimAdminLink(options: { eventId: string; token: string }): Promise<ApiResult<AdminLinkAnswer>> {
  return request(adminLinkAnswer, `/api/events/${segment(options.eventId)}/admin`, { method: "POST", json: { token: options.token } });
}

/** Closes the event to new contributors, or reopens it (creator's rights): 200 committed or 202 pending. */
export function setEventClosed(options: { eventId: string; closed: boolean; idempotencyKey: string }): Promise<ApiResult<SetClosedAnswer>> {
  return request(setClosedAnswer, `/api/events/${segment(options.eventId)}/${options.closed ? "close" : "reopen"}`, {
    method: "POST",
    idempotencyKey: options.idempotencyKey,
  });
}

export function getTransaction(txId: string, signal?: AbortSignal): Promise<ApiResult<TransactionAnswer>> {
  return request(transactionAnswer, `/api/transactions/${segment(txId)}`, { signal });
}

export type UploadProgress = { loadedBytes: number; totalBytes: number };

/**
 * Uploads one photo (multipart field `photo`). XMLHttpRequest rather than fetch, because
 * only it reports upload progress. Never rejects: every outcome is an ApiResult.
 */
export function uploadPhoto(options: {
  eventId: string;
  file: File;
  idempotencyKey: string;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}): Promise<ApiResult<AddPhotoAnswer>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/events/${segment(options.eventId)}/photos`);
    xhr.setRequestHeader("accept", "application/json");
    xhr.setRequestHeader("idempotency-key", options.idempotencyKey);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.({ loadedBytes: event.loaded, totalBytes: event.total });
    };
    xhr.onload = () => resolve(interpretAnswer(addPhotoAnswer, xhr.status, xhr.responseText));
    xhr.onerror = () => resolve({ ok: false, error: networkError() });
    xhr.ontimeout = () => resolve({ ok: false, error: networkError() });
    xhr.onabort = () => resolve({ ok: false, error: abortedError() });
    options.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append("photo", options.file, options.file.name);
    xhr.send(form);
  });
}

// ---- public gallery ----

export async function getPublished(): Promise<ApiResult<PublishedItem[]>> {
  const result = await request(publishedAnswer, "/api/published");
  return result.ok ? { ...result, data: result.data.published } : result;
}

// ---- this site ----

export function getHealth(signal?: AbortSignal): Promise<ApiResult<HealthAnswer>> {
  return request(healthAnswer, "/api/health", { signal });
}

export async function getStatusLog(signal?: AbortSignal): Promise<ApiResult<StatusLogLine[]>> {
  const result = await request(statusLogAnswer, "/api/status/log", { signal });
  return result.ok ? { ...result, data: result.data.lines } : result;
}
