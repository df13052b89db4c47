"use client";
import { formatBytes, plural } from "@/lib/client/format";
import { waitingForServers } from "@/lib/client/event-state";
import type { UploadItem } from "@/lib/client/upload-queue";
import { SiteDots } from "./site-dots";

/** "notes.pdf" → "PDF": shown where no preview can be drawn. */
function extension(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(dot + 1, dot + 5).toUpperCase() : "";
}

function percent(item: UploadItem): number {
  if (item.sizeBytes === 0) return item.phase === "uploading" ? 0 : 100;
  return Math.min(100, Math.round((item.loadedBytes / item.sizeBytes) * 100));
}

function statusText(item: UploadItem): string {
  switch (item.phase) {
    case "queued":
      return "Waiting to upload…";
    case "waiting":
      return item.message ?? "Busy with other photos; trying again shortly…";
    case "uploading":
      return `Uploading · ${percent(item)}%`;
    case "processing":
      return "Checking the photo and saving it on every server…";
    case "pending": {
      const waiting = waitingForServers(item.sites);
      return `Received. ${waiting.charAt(0).toUpperCase()}${waiting.slice(1)} — it will complete by itself.`;
    }
    case "added":
      return item.duplicate
        ? "Already in this event — the same photo was added before."
        : `Added${item.montageVersion !== null ? " to the montage" : ""}`;
    case "aborted":
    case "failed":
      return item.message ?? "Not added.";
  }
}

/** A short, stable summary for screen readers (the per-file percentages would be too chatty). */
function summary(items: UploadItem[]): string {
  const count = (phases: UploadItem["phase"][]) => items.filter((i) => phases.includes(i.phase)).length;
  const parts: string[] = [];
  const busy = count(["queued", "waiting", "uploading", "processing"]);
  if (busy > 0) parts.push(`${plural(busy, "photo")} uploading`);
  const pending = count(["pending"]);
  if (pending > 0) parts.push(`${plural(pending, "photo")} waiting for a site`);
  const added = count(["added"]);
  if (added > 0) parts.push(`${plural(added, "photo")} added`);
  const failed = items.filter((i) => i.phase === "failed" || i.phase === "aborted");
  if (failed.length > 0) parts.push(`${plural(failed.length, "photo")} not added: ${failed.map((i) => `${i.fileName}, ${i.message ?? ""}`).join("; ")}`);
  return parts.join(". ");
}

export function UploadList({ items, onRetry, onDismiss }: { items: UploadItem[]; onRetry: (id: string) => void; onDismiss: (id: string) => void }) {
  if (items.length === 0) return null;
  return (
    <>
      <p className="sr-only" aria-live="polite">
        {summary(items)}
      </p>
      <ul className="upload-list" aria-label="Your uploads">
        {items.map((item) => {
          const bad = item.phase === "failed" || item.phase === "aborted";
          const done = item.phase === "added";
          const showBar = item.phase === "uploading" || item.phase === "processing" || item.phase === "queued";
          return (
            <li key={item.id} className={`upload-item phase-${item.phase}${item.duplicate ? " is-duplicate" : ""}`}>
              <div className="upload-thumb" aria-hidden="true">
                <span className="upload-ext">{extension(item.fileName)}</span>
                {item.previewUrl ? <img src={item.previewUrl} alt="" onError={(e) => (e.currentTarget.style.visibility = "hidden")} /> : null}
              </div>
              <div className="upload-body">
                <div className="upload-line">
                  <span className="upload-name" title={item.fileName}>
                    {item.fileName}
                  </span>
                  <span className="upload-size">{formatBytes(item.sizeBytes)}</span>
                </div>
                {showBar && (
                  <div
                    className={`progress${item.phase === "processing" ? " is-indeterminate" : ""}`}
                    role="progressbar"
                    aria-label={`Upload of ${item.fileName}`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={item.phase === "processing" ? undefined : percent(item)}
                  >
                    <span style={{ width: `${item.phase === "processing" ? 100 : percent(item)}%` }} />
                  </div>
                )}
                <p className={`upload-status${bad ? " is-error" : done ? " is-done" : ""}`}>
                  {done && !item.duplicate && <span aria-hidden="true">✓ </span>}
                  {statusText(item)}
                </p>
                {item.phase === "pending" && <SiteDots sites={item.sites} />}
              </div>
              {(bad || done) && (
                <div className="upload-actions">
                  {bad && item.retryable && (
                    <button type="button" className="btn btn-small btn-secondary" onClick={() => onRetry(item.id)}>
                      Retry
                    </button>
                  )}
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => onDismiss(item.id)} aria-label={done ? `Hide ${item.fileName} from this list (the photo stays in the event)` : `Hide ${item.fileName} from this list`} title="Hide from this list">
                    Hide
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
