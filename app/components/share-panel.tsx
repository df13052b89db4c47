"use client";
import { useEffect, useId, useRef, useState } from "react";
import { QrCode } from "./qr-code";

/** Copies with the Clipboard API, or by selecting the field where it is missing (plain http). */
async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection
  }
  if (!field) return false;
  field.focus();
  field.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

/** The API may give a path; a QR code and a chat message need the full address. */
function absolute(url: string): string {
  if (typeof window === "undefined") return url;
  try {
    return new URL(url, window.location.href).toString();
  } catch {
    return url;
  }
}

export function SharePanel({
  url: givenUrl,
  title,
  heading = "Invite people",
  hint = "Send this link to everyone who should add photos, or let them scan the code.",
}: {
  url: string;
  title: string;
  heading?: string;
  hint?: string;
}) {
  const ids = useId();
  const url = absolute(givenUrl);
  const field = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<"idle" | "copied" | "manual">("idle");
  const [canShare, setCanShare] = useState(false);

  useEffect(() => {
    setCanShare(typeof navigator.share === "function");
  }, []);

  useEffect(() => {
    if (copyState !== "copied") return;
    const timer = setTimeout(() => setCopyState("idle"), 2500);
    return () => clearTimeout(timer);
  }, [copyState]);

  async function copy() {
    setCopyState((await copyText(url, field.current)) ? "copied" : "manual");
  }

  async function share() {
    try {
      await navigator.share({ title: `${title} · groupshot`, text: title, url });
    } catch {
      // the person closed the share sheet
    }
  }

  return (
    <section className="card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="card-title">
        {heading}
      </h2>
      <p className="hint">{hint}</p>
      <div className="share-row">
        <label htmlFor={`${ids}-url`} className="sr-only">
          Share link
        </label>
        <input id={`${ids}-url`} ref={field} className="input input-mono" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn btn-secondary" onClick={() => void copy()}>
          {copyState === "copied" ? "Copied ✓" : "Copy"}
        </button>
      </div>
      <p className="sr-only" aria-live="polite">
        {copyState === "copied" ? "Link copied to the clipboard." : copyState === "manual" ? "Press Control C or Command C to copy the selected link." : ""}
      </p>
      {copyState === "manual" && <p className="hint">The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.</p>}
      <div className="qr-wrap">
        <QrCode text={url} label={heading === "Invite people" ? "QR code of the share link" : "QR code of the public link"} />
      </div>
      {canShare && (
        <button type="button" className="btn btn-secondary btn-block" onClick={() => void share()}>
          Share…
        </button>
      )}
    </section>
  );
}
