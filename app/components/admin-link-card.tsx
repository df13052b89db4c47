"use client";
import { useEffect, useState } from "react";
import { adminLinkToDisplay, forgetAdminLink } from "@/lib/client/admin-link-store";
import { LinkField } from "./link-field";

/**
 * Right after creating an event: its admin link, shown this once (only its hash is kept on the
 * sites). Whoever opens it gets the creator's rights, so it is for the creator's safe keeping.
 */
export function AdminLinkCard({ eventId }: { eventId: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => setUrl(adminLinkToDisplay(eventId)), [eventId]);
  if (!url) return null;

  function done() {
    forgetAdminLink(eventId);
    setUrl(null);
  }

  return (
    <section className="card card-accent admin-link-card" aria-labelledby="admin-link-title">
      <h2 id="admin-link-title" className="card-title">
        Keep your admin link
      </h2>
      <p className="hint">
        It gives the creator&apos;s rights — remove any photo, close the event to newcomers, reopen it — on any browser, if you lose this one. It is shown
        only now: save it somewhere private. <strong>Don&apos;t send it to the group</strong>; they get the invite link.
      </p>
      <LinkField url={url} label="Admin link" copyLabel="Copy admin link" />
      <p>
        <button type="button" className="btn btn-secondary btn-small" onClick={done}>
          I&apos;ve saved it
        </button>
      </p>
    </section>
  );
}
