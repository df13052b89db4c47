import Link from "next/link";
import type { EventView } from "@/lib/api/contract";
import { SiteDots } from "./site-dots";

/**
 * How the event is kept, collapsed by default: a guest needs none of it to take part, and the
 * site ids mean something only to whoever runs the sites (the status page has the rest).
 */
export function SitesCard({ event }: { event: EventView }) {
  const copies = event.sites.length;
  return (
    <details className="card safe-details">
      <summary className="safe-summary">How this is kept safe</summary>
      <p className="hint">
        Every photo and vote is kept on {copies} separate servers, which agree on each change before it counts: if one of them stops, nothing you
        added is lost, and the event carries on when it returns.
      </p>
      <SiteDots sites={event.sites} label="This event is on" showIds />
      <p className="hint">
        You are using <strong>{event.siteId}</strong>; votes are counted by <strong>{event.homeSite}</strong>. <Link href="/status">Server status</Link>
      </p>
    </details>
  );
}
