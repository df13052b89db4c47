"use client";
import { useEffect, useState } from "react";
import type { EventView } from "@/lib/api/contract";
import { waitingForServers } from "@/lib/client/event-state";
import { plural } from "@/lib/client/format";
import type { UploadItem } from "@/lib/client/upload-queue";
import type { TransactionWatch } from "@/lib/client/use-transaction";
import { SiteDots } from "./site-dots";

/**
 * Says honestly what is not decided yet: a transaction is pending when a site did not answer
 * in time. It will commit or abort by itself; this banner updates when it does.
 */
export function PendingBanner({ event, creation, uploads }: { event: EventView; creation: TransactionWatch; uploads: UploadItem[] }) {
  const [showDone, setShowDone] = useState(false);
  const creationSettled = creation.phase === "settled" ? creation.answer.status : null;

  useEffect(() => {
    if (creationSettled !== "committed") return;
    setShowDone(true);
    const timer = setTimeout(() => setShowDone(false), 6_000);
    return () => clearTimeout(timer);
  }, [creationSettled]);

  const creationSites = creation.phase === "watching" && creation.answer ? creation.answer.sites : event.sites;
  const creating = event.status === "pending" && creationSettled !== "aborted";
  const pendingUploads = uploads.filter((u) => u.phase === "pending");

  return (
    <div className="banner-stack" role="status" aria-live="polite">
      {creating && (
        <div className="banner banner-pending">
          <span className="spinner" aria-hidden="true" />
          <div>
            <p>
              <strong>Saving this event on every server</strong> — {waitingForServers(creationSites)}. It will complete by itself; you can already share
              the link.
            </p>
            <SiteDots sites={creationSites} />
          </div>
        </div>
      )}
      {creation.phase === "settled" && creation.answer.status === "aborted" && (
        <div className="banner banner-error">
          <p>
            <strong>This event could not be created</strong>
            {creation.answer.reason ? `: ${creation.answer.reason}` : ""}. Nothing was stored; please create it again.
          </p>
        </div>
      )}
      {showDone && event.status !== "pending" && (
        <div className="banner banner-success">
          <p>
            <strong>Done:</strong> the event is safely kept on all {event.sites.length} servers.
          </p>
        </div>
      )}
      {pendingUploads.length > 0 && (
        <div className="banner banner-pending">
          <span className="spinner" aria-hidden="true" />
          <p>
            <strong>{plural(pendingUploads.length, "photo")} received</strong> — {waitingForServers(pendingUploads[0]?.sites ?? [])}. It will complete by
            itself; nothing is lost.
          </p>
        </div>
      )}
    </div>
  );
}
