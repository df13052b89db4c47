import type { EventView } from "@/lib/api/contract";
import { initials, plural } from "@/lib/client/format";

export function PhotoGrid({ event }: { event: EventView }) {
  const { photos } = event;
  if (photos.length === 0) return null;
  const people = new Set(photos.map((p) => p.uploaderId)).size;
  return (
    <section className="card" aria-labelledby="photos-title">
      <div className="card-head">
        <h2 id="photos-title" className="card-title">
          Photos
        </h2>
        <span className="muted small">
          {plural(photos.length, "photo")} by {plural(people, "person", "people")}
        </span>
      </div>
      <ul className="thumbs">
        {photos.map((photo) => {
          const mine = photo.uploaderId === event.viewer.userId;
          const caption = mine ? `${photo.uploaderName} (you)` : photo.uploaderName;
          return (
            <li key={photo.photoId} className="thumb">
              {photo.thumbUrl ? (
                <a href={photo.imageUrl ?? photo.thumbUrl} target="_blank" rel="noreferrer" className="thumb-frame">
                  <img src={photo.thumbUrl} alt={`Photo by ${photo.uploaderName}`} loading="lazy" />
                </a>
              ) : (
                <div className="thumb-frame thumb-hidden" title="Visible to contributors only until the montage is published">
                  <span aria-hidden="true">{initials(photo.uploaderName)}</span>
                  <span className="sr-only">Photo by {photo.uploaderName}, hidden until published</span>
                </div>
              )}
              <span className="thumb-caption" title={caption}>
                {caption}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
