// The list of files being added on the event page, as a pure reducer: every file is one
// upload request with its own Idempotency-Key (also its id here), so a retry acts once.
import type { AddPhotoAnswer, TransactionAnswer } from "@/lib/api/contract";
import type { ApiError } from "./api";
import { formatBytes } from "./format";

export type UploadPhase =
  | "queued" // waiting for a free slot
  | "waiting" // the site was busy with other photos (503 uploads_busy): sent again by itself shortly
  | "uploading" // bytes on the way
  | "processing" // all bytes sent; the site checks the image and runs the transaction
  | "pending" // the site answered 202: the outcome is coming
  | "added"
  | "aborted" // the transaction was aborted (definite: nothing was stored)
  | "failed";

export type UploadItem = {
  id: string;
  /** Kept across a retry after no answer (the first try may have arrived); new after a refusal. */
  idempotencyKey: string;
  fileName: string;
  sizeBytes: number;
  previewUrl: string | null;
  phase: UploadPhase;
  loadedBytes: number;
  message: string | null;
  retryable: boolean;
  txId: string | null;
  sites: Array<{ siteId: string; acknowledged: boolean }>;
  montageVersion: number | null;
  /** The site recognised the same bytes already in the event. */
  duplicate: boolean;
  /** The last failure was indefinite: no answer reached us. */
  indefinite: boolean;
  /** Times the site answered "busy" to this file; after MAX_BUSY_RETRIES it fails like any refusal. */
  busyRetries: number;
};

/** Busy answers a file waits out by itself before it is shown as failed (with a retry button). */
export const MAX_BUSY_RETRIES = 5;

/**
 * How long to wait before sending `item` again after `error`, or null when the error is not
 * "the site is busy" (503 uploads_busy, nothing stored: the same request may simply be sent
 * again) or the file has waited out enough of them.
 */
export function busyRetryDelayMs(item: UploadItem, error: ApiError): number | null {
  if (error.status !== 503 || error.code !== "uploads_busy" || item.busyRetries >= MAX_BUSY_RETRIES) return null;
  const seconds = Number(error.details?.retryAfterSeconds ?? 2);
  return Math.min(30, Math.max(1, Number.isFinite(seconds) ? seconds : 2)) * 1000;
}

export type UploadAction =
  | { type: "added"; items: Array<{ id: string; fileName: string; sizeBytes: number; previewUrl: string | null }>; maxBytes: number }
  | { type: "started"; id: string }
  | { type: "progress"; id: string; loadedBytes: number }
  | { type: "answered"; id: string; answer: AddPhotoAnswer }
  | { type: "transaction"; id: string; transaction: TransactionAnswer }
  | { type: "failed"; id: string; error: ApiError }
  | { type: "busy"; id: string; retryAfterMs: number }
  | { type: "resume"; id: string }
  | { type: "retry"; id: string; freshKey: string }
  | { type: "dismissed"; id: string };

export const FINISHED_PHASES: ReadonlySet<UploadPhase> = new Set(["added", "aborted", "failed"]);

function update(items: UploadItem[], id: string, change: (item: UploadItem) => UploadItem): UploadItem[] {
  return items.map((item) => (item.id === id ? change(item) : item));
}

function fromAnswer(item: UploadItem, answer: { status: "pending" | "committed" | "aborted"; reason?: string | null; sites: UploadItem["sites"] }): UploadItem {
  const base = { ...item, sites: answer.sites, loadedBytes: item.sizeBytes };
  if (answer.status === "pending") return { ...base, phase: "pending", message: null };
  if (answer.status === "aborted")
    return { ...base, phase: "aborted", retryable: true, message: answer.reason ? `Not added: ${answer.reason}` : "Not added: the sites could not all agree. Nothing was stored." };
  return { ...base, phase: "added", message: null };
}

export function uploadQueueReducer(items: UploadItem[], action: UploadAction): UploadItem[] {
  switch (action.type) {
    case "added":
      return [
        ...items,
        ...action.items.map((file): UploadItem => {
          const tooLarge = file.sizeBytes > action.maxBytes;
          return {
            ...file,
            idempotencyKey: file.id,
            duplicate: false,
            indefinite: false,
            busyRetries: 0,
            phase: tooLarge ? "failed" : "queued",
            loadedBytes: 0,
            message: tooLarge ? `This file is ${formatBytes(file.sizeBytes)}; the limit is ${formatBytes(action.maxBytes)}.` : null,
            retryable: false,
            txId: null,
            sites: [],
            montageVersion: null,
          };
        }),
      ];
    case "started":
      return update(items, action.id, (item) => ({ ...item, phase: "uploading", loadedBytes: 0, message: null }));
    case "progress":
      return update(items, action.id, (item) => ({
        ...item,
        loadedBytes: action.loadedBytes,
        phase: item.phase === "uploading" && action.loadedBytes >= item.sizeBytes ? "processing" : item.phase,
      }));
    case "answered":
      return update(items, action.id, (item) =>
        fromAnswer(
          { ...item, txId: action.answer.txId, montageVersion: action.answer.montageVersion, duplicate: action.answer.duplicate },
          action.answer,
        ),
      );
    case "transaction":
      return update(items, action.id, (item) => (item.phase === "pending" ? fromAnswer(item, action.transaction) : item));
    case "failed":
      return update(items, action.id, (item) => ({
        ...item,
        phase: "failed",
        message: action.error.message,
        indefinite: !action.error.definite,
        // No answer (it may still have arrived: the same key makes the retry act once), a
        // site error, or a closed ballot window that may reopen: worth another try.
        retryable: !action.error.definite || action.error.status >= 500 || action.error.status === 409,
      }));
    case "busy":
      return update(items, action.id, (item) => ({
        ...item,
        phase: "waiting",
        loadedBytes: 0,
        busyRetries: item.busyRetries + 1,
        message: `This site is busy with other photos; trying again in ${Math.round(action.retryAfterMs / 1000)} s.`,
      }));
    case "resume":
      // The same Idempotency-Key: the busy answer stored nothing.
      return update(items, action.id, (item) => (item.phase === "waiting" ? { ...item, phase: "queued", message: null } : item));
    case "retry":
      return update(items, action.id, (item) =>
        item.retryable
          ? { ...item, phase: "queued", message: null, loadedBytes: 0, idempotencyKey: item.indefinite ? item.idempotencyKey : action.freshKey, indefinite: false, busyRetries: 0 }
          : item,
      );
    case "dismissed":
      return items.filter((item) => item.id !== action.id);
  }
}
