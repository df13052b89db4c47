"use client";
import { useEffect, useId, useRef, useState, type DragEvent } from "react";
import type { EventView } from "@/lib/api/contract";
import { formatBytes } from "@/lib/client/format";
import type { UploadAvailability } from "@/lib/client/event-state";
import type { UploadItem } from "@/lib/client/upload-queue";
import { UploadList } from "./upload-list";

const ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,image/avif";

function PhotoIcon({ className }: { className: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" width="36" height="36" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      <rect x="3" y="5" width="18" height="14" rx="3" />
      <circle cx="9" cy="10" r="1.8" />
      <path d="m21 15-4.5-4.5L8 19" />
    </svg>
  );
}

export function UploadPanel(props: {
  event: EventView;
  availability: UploadAvailability;
  items: UploadItem[];
  onFiles: (files: File[]) => void;
  onRetry: (id: string) => void;
  onDismiss: (id: string) => void;
}) {
  const { event, availability, items } = props;
  const ids = useId();
  const picker = useRef<HTMLInputElement>(null);
  const camera = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const enabled = availability.allowed;
  const { limits, viewer } = event;
  const left = Math.max(0, limits.maxPhotosPerPerson - viewer.photoCount);

  // A photo dropped next to the zone must not make the browser leave the page to show it.
  useEffect(() => {
    const keep = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes("Files")) e.preventDefault();
    };
    window.addEventListener("dragover", keep);
    window.addEventListener("drop", keep);
    return () => {
      window.removeEventListener("dragover", keep);
      window.removeEventListener("drop", keep);
    };
  }, []);

  function take(list: FileList | null) {
    if (!list || list.length === 0) return;
    props.onFiles(Array.from(list));
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    take(e.dataTransfer.files);
  }

  return (
    <section className="card" aria-labelledby={`${ids}-title`}>
      <div className="card-head">
        <h2 id={`${ids}-title`} className="card-title">
          Add your photos
        </h2>
        {viewer.userId && event.status === "open" && (
          <span className="muted small">
            {viewer.photoCount} of {limits.maxPhotosPerPerson} added{left > 0 ? ` · ${left} left` : ""}
          </span>
        )}
      </div>
      {enabled ? (
        <div
          className={`dropzone${dragging ? " is-dragging" : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = "copy";
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <PhotoIcon className="dropzone-icon" />
          <p className="dropzone-text">
            <span className="only-pointer">Drag photos here, or</span>
            <span className="only-touch">Add photos from your phone</span>
          </p>
          <div className="dropzone-actions">
            <button type="button" className="btn btn-primary" onClick={() => picker.current?.click()}>
              Choose photos
            </button>
            <button type="button" className="btn btn-secondary only-touch" onClick={() => camera.current?.click()}>
              Take a photo
            </button>
          </div>
          <p className="hint">JPEG, PNG, WebP or AVIF · up to {formatBytes(limits.maxPhotoBytes)} each</p>
          <input
            ref={picker}
            type="file"
            className="sr-only"
            tabIndex={-1}
            aria-label="Photo files"
            accept={ACCEPTED_TYPES}
            multiple
            onChange={(e) => {
              take(e.currentTarget.files);
              e.currentTarget.value = "";
            }}
          />
          <input
            ref={camera}
            type="file"
            className="sr-only"
            tabIndex={-1}
            aria-label="Camera"
            accept={ACCEPTED_TYPES}
            capture="environment"
            onChange={(e) => {
              take(e.currentTarget.files);
              e.currentTarget.value = "";
            }}
          />
        </div>
      ) : (
        <div className="upload-closed" role="note">
          <PhotoIcon className="upload-closed-icon" />
          <p>{availability.reason}</p>
        </div>
      )}
      <UploadList items={items} onRetry={props.onRetry} onDismiss={props.onDismiss} />
    </section>
  );
}
