import type { EventView } from "@/lib/api/contract";
import { formatBytes, plural } from "@/lib/client/format";

/** "Download all photos (12 photos, 48 MB)": the event's ZIP of originals, when the viewer may have it. */
export function DownloadAllButton({ archive, className = "btn btn-secondary" }: { archive: EventView["archive"]; className?: string }) {
  if (!archive) return null;
  return (
    <a className={className} href={archive.url} download data-testid="download-all">
      Download all photos ({plural(archive.photoCount, "photo")}, {formatBytes(archive.sizeBytes)})
    </a>
  );
}
