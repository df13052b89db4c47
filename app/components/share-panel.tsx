"use client";
import { useEffect, useId, useState } from "react";
import { LinkField } from "./link-field";
import { QrCode } from "./qr-code";

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
  const [canShare, setCanShare] = useState(false);

  useEffect(() => {
    setCanShare(typeof navigator.share === "function");
  }, []);

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
      <LinkField url={url} label={heading === "Invite people" ? "Share link" : "Public link"} />
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
