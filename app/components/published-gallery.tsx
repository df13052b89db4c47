"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { PublishedItem } from "@/lib/api/contract";
import { getPublished, type ApiError } from "@/lib/client/api";
import { formatDate, joinNames, plural } from "@/lib/client/format";

type GalleryState = { phase: "loading" } | { phase: "ready"; items: PublishedItem[] } | { phase: "failed"; error: ApiError };

function contributorLine(names: readonly string[]): string {
  if (names.length <= 3) return joinNames(names);
  return `${names.slice(0, 2).join(", ")} and ${names.length - 2} others`;
}

export function PublishedGallery() {
  const [state, setState] = useState<GalleryState>({ phase: "loading" });

  useEffect(() => {
    let cancelled = false;
    void getPublished().then((result) => {
      if (!cancelled) setState(result.ok ? { phase: "ready", items: result.data } : { phase: "failed", error: result.error });
    });
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <section className="gallery-section" aria-labelledby="gallery-title" aria-busy={state.phase === "loading"}>
      <div className="section-head">
        <h2 id="gallery-title">Published montages</h2>
        {state.phase === "ready" && state.items.length > 0 && <span className="muted">{plural(state.items.length, "montage")}</span>}
      </div>
      {state.phase === "loading" && (
        <div className="gallery" aria-hidden="true">
          {[0, 1, 2].map((i) => (
            <div key={i} className="gallery-card skeleton-card">
              <div className="gallery-image skeleton" />
              <div className="gallery-body">
                <div className="skeleton skeleton-line" />
                <div className="skeleton skeleton-line short" />
              </div>
            </div>
          ))}
        </div>
      )}
      {state.phase === "failed" && (
        <p className="banner banner-error" role="alert">
          The gallery could not be loaded: {state.error.message}
        </p>
      )}
      {state.phase === "ready" && state.items.length === 0 && (
        <div className="empty-state">
          <div className="empty-illustration" aria-hidden="true">
            <span />
            <span />
            <span />
            <span />
          </div>
          <p className="empty-title">No montages published yet</p>
          <p className="muted">The first one appears here as soon as a whole group accepts its montage.</p>
        </div>
      )}
      {state.phase === "ready" && state.items.length > 0 && (
        <ul className="gallery">
          {state.items.map((item) => (
            <li key={item.eventId} className="gallery-card">
              <Link href={`/p/${encodeURIComponent(item.eventId)}`} className="gallery-link">
                <img className="gallery-image" src={item.montageUrl} alt={`Montage of ${item.title}`} loading="lazy" />
                <div className="gallery-body">
                  <h3 className="gallery-title">{item.title}</h3>
                  <p className="gallery-meta">{contributorLine(item.contributors)}</p>
                  <p className="gallery-meta muted">
                    {plural(item.photoCount, "photo")} · {formatDate(item.publishedAt)}
                  </p>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
