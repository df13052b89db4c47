"use client";
import Link from "next/link";
import { DownloadAllButton } from "./download-all-button";
import { useEffect, useState } from "react";
import type { EventView } from "@/lib/api/contract";
import { getEvent, type ApiError } from "@/lib/client/api";
import { formatDate, joinNames, plural } from "@/lib/client/format";
import { useDocumentTitle } from "@/lib/client/use-document-title";

type PublishedState = { phase: "loading" } | { phase: "ready"; event: EventView } | { phase: "failed"; error: ApiError };

function NotPublished({ eventId, title }: { eventId: string; title: string | null }) {
  return (
    <main className="shell page">
      <div className="card problem">
        <p className="eyebrow">Not published (yet)</p>
        <h1>{title ? `“${title}” has no public montage yet` : "There is no published montage here"}</h1>
        <p className="muted">
          A montage becomes public only when every contributor has accepted it. {title ? "If you were invited, you can add photos or cast your ballot on the event page." : "Check the link you were given."}
        </p>
        <p className="button-row">
          {title && (
            <Link className="btn btn-primary" href={`/e/${encodeURIComponent(eventId)}`}>
              Go to the event
            </Link>
          )}
          <Link className="btn btn-secondary" href="/">
            See published montages
          </Link>
        </p>
      </div>
    </main>
  );
}

/** /p/[eventId]: the public montage page; needs no session. */
export function PublishedPage({ eventId }: { eventId: string }) {
  const [state, setState] = useState<PublishedState>({ phase: "loading" });
  useDocumentTitle(state.phase === "ready" ? state.event.title : null);

  useEffect(() => {
    const controller = new AbortController();
    void getEvent(eventId, controller.signal).then((result) => {
      if (!controller.signal.aborted) setState(result.ok ? { phase: "ready", event: result.data } : { phase: "failed", error: result.error });
    });
    return () => controller.abort();
  }, [eventId]);

  if (state.phase === "loading")
    return (
      <main className="shell page" aria-busy="true">
        <p className="sr-only" role="status">
          Loading the montage…
        </p>
        <div className="skeleton skeleton-title" />
        <div className="skeleton skeleton-hero" />
      </main>
    );
  if (state.phase === "failed") {
    if (state.error.status === 404) return <NotPublished eventId={eventId} title={null} />;
    return (
      <main className="shell page">
        <div className="card problem" role="alert">
          <h1>This montage could not be loaded</h1>
          <p>{state.error.message}</p>
        </div>
      </main>
    );
  }
  const { event } = state;
  if (!event.published) return <NotPublished eventId={eventId} title={event.title} />;
  const names = event.contributors.map((c) => c.name);
  return (
    <main className="shell page published-page">
      <header className="published-head">
        <div>
          <p className="eyebrow">Published montage</p>
          <h1>{event.title}</h1>
          <p className="muted">
            {plural(event.montage.photoCount, "photo")} by {joinNames(names)} · published {formatDate(event.published.publishedAt)}
          </p>
        </div>
        <a className="btn btn-primary btn-large" href={event.published.downloadUrl} download>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <path d="M12 4v11m0 0-4.5-4.5M12 15l4.5-4.5M5 19.5h14" />
          </svg>
          Download full size
        </a>
      </header>
      <figure className="published-figure">
        <img className="published-image" src={event.published.url} alt={`Montage of ${event.title}: ${plural(event.montage.photoCount, "photo")} by ${joinNames(names)}`} />
        <figcaption className="muted small">
          Every contributor accepted this montage. The file carries no camera or location data.
        </figcaption>
      </figure>
      <section className="card" aria-labelledby="made-by">
        <div className="card-head">
          <h2 id="made-by" className="card-title">
            Made by
          </h2>
          <DownloadAllButton archive={event.archive} />
        </div>
        <ul className="people people-inline">
          {event.contributors.map((c) => (
            <li key={c.userId} className="chip chip-person">
              {c.name} · {plural(c.photoCount, "photo")}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
