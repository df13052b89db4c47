"use client";
import { useEffect, useId, useRef, useState } from "react";
import { copyText } from "@/lib/client/copy-text";

/**
 * A link shown whole — it wraps instead of being cut at the field's edge, so a person can check
 * it before sending it — with a Copy button (Clipboard API, or a selection to copy by hand).
 */
export function LinkField({ url, label, copyLabel = "Copy" }: { url: string; label: string; copyLabel?: string }) {
  const ids = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const [copyState, setCopyState] = useState<"idle" | "copied" | "manual">("idle");

  useEffect(() => {
    if (copyState !== "copied") return;
    const timer = setTimeout(() => setCopyState("idle"), 2500);
    return () => clearTimeout(timer);
  }, [copyState]);

  async function copy() {
    setCopyState((await copyText(url, field.current)) ? "copied" : "manual");
  }

  return (
    <div className="link-field">
      <label htmlFor={`${ids}-url`} className="sr-only">
        {label}
      </label>
      <textarea
        id={`${ids}-url`}
        ref={field}
        className="input input-mono link-text"
        readOnly
        rows={2}
        value={url}
        spellCheck={false}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="button" className="btn btn-secondary" onClick={() => void copy()}>
        {copyState === "copied" ? "Copied ✓" : copyLabel}
      </button>
      <p className="sr-only" aria-live="polite">
        {copyState === "copied" ? "Link copied to the clipboard." : copyState === "manual" ? "Press Control C or Command C to copy the selected link." : ""}
      </p>
      {copyState === "manual" && <p className="hint link-field-note">The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.</p>}
    </div>
  );
}
