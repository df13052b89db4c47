import Link from "next/link";
import type { EventView } from "@/lib/api/contract";
import { plural } from "@/lib/client/format";

/** Adds the version to an image URL, so a new montage is never served from the browser cache. */
function versioned(url: string, version: number): string {
  if (/[?&]v=/.test(url)) return url;
  return `${url}${url.includes("?") ? "&" : "?"}v=${version}`;
}

export function MontagePanel({ event, canUpload }: { event: EventView; canUpload: boolean }) {
  const { montage, published } = event;
  const imageUrl = published ? published.url : montage.url;
  const version = published ? published.version : montage.version;

  return (
    <section className="card montage-card" aria-labelledby="montage-title">
      <div className="card-head">
        <h2 id="montage-title" className="card-title">
          {published ? "The montage" : "Montage"}
        </h2>
        {montage.photoCount > 0 && (
          <span className="montage-meta">
            <span className="chip" title={`Rebuilt each time a photo is added or removed (update ${version})`}>
              {plural(montage.photoCount, "photo")}
            </span>
          </span>
        )}
      </div>

      {montage.photoCount === 0 ? (
        <div className="montage-empty">
          <div className="empty-illustration" aria-hidden="true">
            <span />
            <span />
            <span />
            <span />
          </div>
          <p className="empty-title">No photos yet</p>
          <p className="muted">The montage of everyone&apos;s photos appears here after the first upload.</p>
        </div>
      ) : imageUrl ? (
        <figure className="montage-figure" data-montage-version={version}>
          <a href={imageUrl} target="_blank" rel="noreferrer" className="montage-link" title="Open the montage in a new tab">
            {/* The site's own API serves the image; next/image would add nothing here. */}
            <img
              key={version}
              className="montage-image"
              src={versioned(imageUrl, version)}
              alt={`Montage of ${plural(montage.photoCount, "photo")} for ${event.title}`}
            />
          </a>
          {published && (
            <figcaption className="montage-caption">
              <span className="muted small">The full-size file carries no camera or location data.</span>
              <span className="montage-actions">
                <Link className="btn btn-secondary" href={`/p/${encodeURIComponent(event.eventId)}`}>
                  Public page
                </Link>
                <a className="btn btn-primary" href={published.downloadUrl} download>
                  Download full size
                </a>
              </span>
            </figcaption>
          )}
        </figure>
      ) : (
        <div className="montage-locked">
          <svg viewBox="0 0 24 24" width="32" height="32" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round">
            <rect x="4.5" y="10.5" width="15" height="10" rx="2.5" />
            <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
          </svg>
          <p className="empty-title">Only contributors can see the montage until it&apos;s published.</p>
          <p className="muted">{canUpload ? "Add a photo below and it unlocks for you." : `${plural(montage.photoCount, "photo")} so far.`}</p>
        </div>
      )}
    </section>
  );
}
