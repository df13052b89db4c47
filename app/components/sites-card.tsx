import Link from "next/link";
import type { EventView } from "@/lib/api/contract";
import { SiteDots } from "./site-dots";

export function SitesCard({ event }: { event: EventView }) {
  return (
    <section className="card" aria-labelledby="sites-title">
      <h2 id="sites-title" className="card-title">
        Replicas
      </h2>
      <SiteDots sites={event.sites} label="This event is on" />
      <p className="hint">
        You are on site <strong>{event.siteId}</strong>; the event&apos;s home is <strong>{event.homeSite}</strong>. Every site keeps a full copy
        and shows the same photos and ballots. <Link href="/status">Site status</Link>
      </p>
    </section>
  );
}
