"use client";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { plural } from "@/lib/client/format";
import { useEventView } from "@/lib/client/use-event-view";
import { useDocumentTitle } from "@/lib/client/use-document-title";
import { newlyArrived, wallPhotos } from "@/lib/client/wall-order";

/** Photos on the wall at once: the newest large, the rest as a strip (a projector shows no more). */
const WALL_PHOTOS = 13;

/**
 * /e/[eventId]/wall: a full-screen page for a projector at the party. Newly committed photos
 * appear as they land (the event's live stream, as on the event page); the newest is shown large.
 * Contributors only, like the photos themselves until the montage is published.
 */
export function WallPage({ eventId }: { eventId: string }) {
  const { state, live } = useEventView(eventId);
  const seen = useRef<Set<string> | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const event = state.phase === "ready" ? state.event : null;
  const photos = event ? wallPhotos(event.photos, WALL_PHOTOS) : [];
  const photoKey = photos.map((p) => p.photoId).join(",");
  useDocumentTitle(event ? `Wall · ${event.title}` : null);

  useEffect(() => {
    if (!event) return;
    const arrived = newlyArrived(seen.current, photos);
    seen.current = new Set(event.photos.map((p) => p.photoId));
    if (arrived.size === 0) return;
    setFresh(arrived);
    const timer = setTimeout(() => setFresh(new Set()), 6_000);
    return () => clearTimeout(timer);
    // photoKey stands for the photos shown: the effect runs when they change, not on every refresh.
  }, [photoKey]);

  if (state.phase === "loading") return <main className="wall" aria-busy="true" />;
  if (!event) {
    return (
      <main className="wall wall-message">
        <h1>This event is not on this site</h1>
        <p>
          <Link href="/">Go to the home page</Link>
        </p>
      </main>
    );
  }
  const eventHref = `/e/${encodeURIComponent(eventId)}`;
  const maySee = event.viewer.isContributor || event.published !== null;
  if (!maySee) {
    return (
      <main className="wall wall-message">
        <h1>{event.title}</h1>
        <p>The live wall is for the people who added a photo. Add yours on the event page, then come back.</p>
        <p>
          <Link className="btn btn-primary" href={eventHref}>
            Open the event
          </Link>
        </p>
      </main>
    );
  }

  const [newest, ...rest] = photos;
  return (
    <main className="wall" aria-label={`Live wall of ${event.title}`}>
      <header className="wall-head">
        <h1 className="wall-title">{event.title}</h1>
        <p className="wall-meta">
          <span className={`live${live ? " is-live" : ""}`}>
            <span className="dot" aria-hidden="true" />
            {live ? "Live" : "Reconnecting…"}
          </span>
          <span>
            {plural(event.montage.photoCount, "photo")} by {plural(event.contributors.length, "person", "people")}
          </span>
          <FullScreenButton />
          <Link className="wall-exit" href={eventHref}>
            Exit wall
          </Link>
        </p>
      </header>
      {newest ? (
        <div className="wall-body">
          <figure className={`wall-hero${fresh.has(newest.photoId) ? " is-new" : ""}`} key={newest.photoId} data-photo-id={newest.photoId}>
            <img src={newest.imageUrl} alt={`Photo by ${newest.uploaderName}`} />
            <figcaption>{newest.uploaderName}</figcaption>
          </figure>
          <ul className="wall-strip" aria-label="Earlier photos">
            {rest.map((p) => (
              <li key={p.photoId} className={fresh.has(p.photoId) ? "is-new" : undefined} data-photo-id={p.photoId}>
                <img src={p.thumbUrl} alt={`Photo by ${p.uploaderName}`} loading="lazy" />
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <div className="wall-message">
          <p>Photos appear here the moment they are added. Scan or open the invite link and add yours.</p>
        </div>
      )}
      <p className="sr-only" aria-live="polite">
        {fresh.size > 0 ? `${plural(fresh.size, "new photo")} on the wall.` : ""}
      </p>
    </main>
  );
}

function FullScreenButton() {
  const [supported, setSupported] = useState(false);
  useEffect(() => setSupported(typeof document.documentElement.requestFullscreen === "function"), []);
  if (!supported) return null;
  return (
    <button
      type="button"
      className="btn btn-small btn-secondary"
      onClick={() => void (document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(() => undefined)}
    >
      Full screen
    </button>
  );
}
