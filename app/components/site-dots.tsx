import type { EventView } from "@/lib/api/contract";

/** One dot per site: filled when that site has durably acknowledged the thing shown. */
export function SiteDots({ sites, label = "Acknowledged by" }: { sites: EventView["sites"]; label?: string }) {
  if (sites.length === 0) return null;
  const acked = sites.filter((s) => s.acknowledged).length;
  return (
    <ul className="site-dots" aria-label={`${label} ${acked} of ${sites.length} sites`}>
      {sites.map((site) => (
        <li
          key={site.siteId}
          className={site.acknowledged ? "site-dot is-acked" : "site-dot"}
          title={`${site.siteId}: ${site.acknowledged ? "acknowledged" : "not yet"}`}
        >
          <span className="dot" aria-hidden="true" />
          {site.siteId}
          <span className="sr-only">{site.acknowledged ? " acknowledged" : " not yet"}</span>
        </li>
      ))}
    </ul>
  );
}
