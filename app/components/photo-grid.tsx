"use client";
import { useState } from "react";
import type { EventView, PhotoView } from "@/lib/api/contract";
import { removePhoto } from "@/lib/client/api";
import { initials, plural } from "@/lib/client/format";
import { newIdempotencyKey } from "@/lib/client/idempotency-key";
import { DownloadAllButton } from "./download-all-button";

type Removal = { photoId: string; phase: "confirm" | "removing" | "pending" | "failed"; key: string; message?: string };

export function PhotoGrid({ event }: { event: EventView }) {
  const { photos } = event;
  const [removal, setRemoval] = useState<Removal | null>(null);
  if (photos.length === 0) return null;
  const people = new Set(photos.map((p) => p.uploaderId)).size;

  async function confirmRemoval(current: Removal) {
    setRemoval({ ...current, phase: "removing" });
    // The same key on a retry: a removal that went through is not asked for twice.
    const result = await removePhoto({ eventId: event.eventId, photoId: current.photoId, idempotencyKey: current.key });
    if (result.ok) {
      // Committed: the page's live view drops the photo. Pending: it is removed once every site answers.
      setRemoval(result.data.status === "pending" ? { ...current, phase: "pending" } : null);
    } else {
      setRemoval({ ...current, phase: "failed", message: result.error.message });
    }
  }

  return (
    <section className="card" aria-labelledby="photos-title">
      <div className="card-head">
        <h2 id="photos-title" className="card-title">
          Photos
        </h2>
        <span className="muted small">
          {plural(photos.length, "photo")} by {plural(people, "person", "people")}
        </span>
        <DownloadAllButton archive={event.archive} className="btn btn-small btn-secondary" />
      </div>
      <ul className="thumbs">
        {photos.map((photo) => {
          const mine = photo.uploaderId === event.viewer.userId;
          const caption = mine ? `${photo.uploaderName} (you)` : photo.uploaderName;
          const asking = removal?.photoId === photo.photoId ? removal : null;
          return (
            <li key={photo.photoId} className="thumb">
              {photo.thumbUrl ? (
                <a href={photo.imageUrl ?? photo.thumbUrl} target="_blank" rel="noreferrer" className="thumb-frame">
                  <img src={photo.thumbUrl} alt={`Photo by ${photo.uploaderName}`} loading="lazy" />
                </a>
              ) : null}
              {photo.thumbUrl && photo.originalUrl ? (
                <a className="thumb-original small" href={photo.originalUrl} download aria-label={`Download ${photo.uploaderName}'s photo at full size`}>
                  Full size
                </a>
              ) : null}
              {photo.thumbUrl ? null : (
                <div className="thumb-frame thumb-hidden" title="Visible to contributors only until the montage is published">
                  <span aria-hidden="true">{initials(photo.uploaderName)}</span>
                  <span className="sr-only">Photo by {photo.uploaderName}, hidden until published</span>
                </div>
              )}
              <span className="thumb-caption" title={caption}>
                {caption}
              </span>
              {photo.removable && !asking && (
                <button
                  type="button"
                  className="btn btn-small btn-ghost thumb-remove"
                  onClick={() => setRemoval({ photoId: photo.photoId, phase: "confirm", key: newIdempotencyKey() })}
                  aria-label={mine ? "Remove your photo from the event" : `Remove ${photo.uploaderName}'s photo from the event`}
                >
                  Remove…
                </button>
              )}
              {asking && <RemovalPrompt removal={asking} mine={mine} photo={photo} onConfirm={() => void confirmRemoval(asking)} onCancel={() => setRemoval(null)} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function RemovalPrompt(props: { removal: Removal; mine: boolean; photo: PhotoView; onConfirm: () => void; onCancel: () => void }) {
  const { removal, mine, photo } = props;
  if (removal.phase === "pending") return <p className="thumb-note small" role="status">Removing: waiting for every server to confirm…</p>;
  return (
    <div className="thumb-confirm" role="group" aria-label="Confirm removal">
      <p className="small">{mine ? "Remove your photo for everyone? This cannot be undone." : `Remove ${photo.uploaderName}'s photo for everyone? This cannot be undone.`}</p>
      {removal.phase === "failed" && (
        <p className="small error-text" role="alert">
          {removal.message}
        </p>
      )}
      <div className="thumb-confirm-actions">
        <button type="button" className="btn btn-small btn-danger" onClick={props.onConfirm} disabled={removal.phase === "removing"}>
          {removal.phase === "removing" ? "Removing…" : "Remove"}
        </button>
        <button type="button" className="btn btn-small btn-secondary" onClick={props.onCancel} disabled={removal.phase === "removing"}>
          Keep
        </button>
      </div>
    </div>
  );
}
