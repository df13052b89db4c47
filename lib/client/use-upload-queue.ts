// Runs the upload queue: at most two files on the wire at once, each with its progress, then
// (on a 202) polls its transaction until the sites have decided. `onSettled` runs whenever a
// photo may have changed the event, so the page can fetch it again.
import { useCallback, useEffect, useReducer, useRef } from "react";
import { uploadPhoto } from "./api";
import { newIdempotencyKey } from "./idempotency-key";
import { pollTransaction } from "./poll-transaction";
import { busyRetryDelayMs, uploadQueueReducer, type UploadItem } from "./upload-queue";

const PARALLEL_UPLOADS = 2;

export function useUploadQueue(options: { eventId: string; maxBytes: number; onSettled: () => void }): {
  items: UploadItem[];
  addFiles: (files: Iterable<File>) => void;
  retry: (id: string) => void;
  dismiss: (id: string) => void;
} {
  const { eventId, maxBytes, onSettled } = options;
  const [items, dispatch] = useReducer(uploadQueueReducer, []);
  const files = useRef(new Map<string, File>());
  const previews = useRef(new Map<string, string>());
  const active = useRef(new Set<string>());
  const settled = useRef(onSettled);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    settled.current = onSettled;
  }, [onSettled]);

  useEffect(() => {
    const controller = new AbortController();
    abort.current = controller;
    const urls = previews.current;
    return () => {
      controller.abort();
      for (const url of urls.values()) URL.revokeObjectURL(url);
      urls.clear();
    };
  }, []);

  const run = useCallback(
    async (item: UploadItem) => {
      const file = files.current.get(item.id);
      const signal = abort.current?.signal;
      if (!file || !signal || signal.aborted) return;
      dispatch({ type: "started", id: item.id });
      const result = await uploadPhoto({
        eventId,
        file,
        idempotencyKey: item.idempotencyKey,
        signal,
        onProgress: ({ loadedBytes }) => dispatch({ type: "progress", id: item.id, loadedBytes }),
      });
      active.current.delete(item.id); // the slot is free even while a pending answer is polled
      if (!result.ok) {
        if (signal.aborted) return;
        const retryAfterMs = busyRetryDelayMs(item, result.error);
        if (retryAfterMs === null) {
          dispatch({ type: "failed", id: item.id, error: result.error });
          return;
        }
        dispatch({ type: "busy", id: item.id, retryAfterMs });
        const timer = setTimeout(() => dispatch({ type: "resume", id: item.id }), retryAfterMs);
        signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
        return;
      }
      dispatch({ type: "answered", id: item.id, answer: result.data });
      settled.current();
      if (result.data.status !== "pending") return;
      const final = await pollTransaction({
        txId: result.data.txId,
        signal,
        onUpdate: (transaction) => dispatch({ type: "transaction", id: item.id, transaction }),
      });
      if (final.ok) settled.current();
    },
    [eventId],
  );

  useEffect(() => {
    const free = PARALLEL_UPLOADS - active.current.size;
    if (free <= 0) return;
    for (const item of items.filter((i) => i.phase === "queued" && !active.current.has(i.id)).slice(0, free)) {
      active.current.add(item.id);
      void run(item);
    }
  }, [items, run]);

  const addFiles = useCallback(
    (incoming: Iterable<File>) => {
      const added = Array.from(incoming, (file) => {
        const id = newIdempotencyKey();
        files.current.set(id, file);
        const previewUrl = file.type.startsWith("image/") ? URL.createObjectURL(file) : null;
        if (previewUrl) previews.current.set(id, previewUrl);
        return { id, fileName: file.name || "photo", sizeBytes: file.size, previewUrl };
      });
      if (added.length > 0) dispatch({ type: "added", items: added, maxBytes });
    },
    [maxBytes],
  );

  const retry = useCallback((id: string) => dispatch({ type: "retry", id, freshKey: newIdempotencyKey() }), []);
  const dismiss = useCallback((id: string) => {
    files.current.delete(id);
    const previewUrl = previews.current.get(id);
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previews.current.delete(id);
    dispatch({ type: "dismissed", id });
  }, []);

  return { items, addFiles, retry, dismiss };
}
