import type { EventView } from "@/lib/api/contract";

/**
 * One dot per server: filled when it has durably confirmed the thing shown. Guests see dots and
 * a count; `showIds` (the collapsed "How this is kept safe", the status page) names the sites.
 */
export function SiteDots({ sites, label = "Confirmed by", showIds = false }: { sites: EventView["sites"]; label?: string; showIds?: boolean }) {
  if (sites.length === 0) return null;
  const acked = sites.filter((s) => s.acknowledged).length;
  return (
    <ul className={showIds ? "site-dots" : "site-dots is-compact"} aria-label={`${label} ${acked} of ${sites.length} servers`}>
      {sites.map((site) => (
        <li
          key={site.siteId}
          className={site.acknowledged ? "site-dot is-acked" : "site-dot"}
          title={`${site.siteId}: ${site.acknowledged ? "confirmed" : "not yet"}`}
        >
          <span className="dot" aria-hidden="true" />
          {showIds ? site.siteId : null}
          <span className="sr-only">{site.acknowledged ? " confirmed" : " not yet"}</span>
        </li>
      ))}
    </ul>
  );
}
