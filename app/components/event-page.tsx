"use client";
import Link from "next/link";
import { useEffect, useRef } from "react";
import type { EventView } from "@/lib/api/contract";
import { uploadAvailability } from "@/lib/client/event-state";
import { formatDate } from "@/lib/client/format";
import { useSession } from "@/lib/client/session-store";
import { useEventView } from "@/lib/client/use-event-view";
import { useTransaction } from "@/lib/client/use-transaction";
import { useDocumentTitle } from "@/lib/client/use-document-title";
import { useMediaQuery } from "@/lib/client/use-media-query";
import { useUploadQueue } from "@/lib/client/use-upload-queue";
import { AbortNotice } from "./abort-notice";
import { AdminLinkCard } from "./admin-link-card";
import { CreatorTools } from "./creator-tools";
import { RoundTrail } from "./round-trail";
import { BallotPanel } from "./ballot-panel";
import { ContributorList } from "./contributor-list";
import { JoinBox } from "./join-box";
import { MontagePanel } from "./montage-panel";
import { PendingBanner } from "./pending-banner";
import { PhotoGrid } from "./photo-grid";
import { SharePanel } from "./share-panel";
import { SitesCard } from "./sites-card";
import { StatusBadge } from "./status-badge";
import { UploadPanel } from "./upload-panel";

const DEFAULT_MAX_PHOTO_BYTES = 20 * 1024 * 1024;

/** The public page's address on the same site as the share link. */
function publicUrl(event: EventView): string {
  try {
    return new URL(`/p/${encodeURIComponent(event.eventId)}`, event.url).toString();
  } catch {
    return `/p/${encodeURIComponent(event.eventId)}`;
  }
}

function LiveIndicator({ live }: { live: boolean }) {
  return (
    <span className={`live${live ? " is-live" : ""}`} title={live ? "Updates arrive as they happen" : "Reconnecting; the page still refreshes every few seconds"}>
      <span className="dot" aria-hidden="true" />
      {live ? "Live" : "Reconnecting…"}
    </span>
  );
}

function EventSkeleton() {
  return (
    <main className="shell page" aria-busy="true">
      <p className="sr-only" role="status">
        Loading the event…
      </p>
      <div className="skeleton skeleton-title" />
      <div className="event-grid">
        <div className="event-main">
          <div className="card">
            <div className="skeleton skeleton-block" />
          </div>
        </div>
        <aside className="event-side">
          <div className="card">
            <div className="skeleton skeleton-line" />
            <div className="skeleton skeleton-line short" />
          </div>
        </aside>
      </div>
    </main>
  );
}

function Problem({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="shell page">
      <div className="card problem" role="alert">
        <h1>{title}</h1>
        {children}
        <p>
          <Link href="/" className="btn btn-secondary">
            Go to the home page
          </Link>
        </p>
      </div>
    </main>
  );
}

type EventScreenProps = { event: EventView; receivedAtMs: number; staleMessage: string | null; live: boolean; refresh: () => void; pendingTxId: string | null };

function EventScreen({ event, receivedAtMs, staleMessage, live, refresh, pendingTxId }: EventScreenProps) {
  const session = useSession();
  const signedIn = session.phase === "ready" && session.user !== null;
  const creation = useTransaction(pendingTxId, refresh);
  const uploads = useUploadQueue({ eventId: event.eventId, maxBytes: event.limits.maxPhotoBytes || DEFAULT_MAX_PHOTO_BYTES, onSettled: refresh });
  const availability = uploadAvailability(event, signedIn);
  useDocumentTitle(event.title);
  // On a wide screen the ballot sits next to the montage, above the fold; on a phone, below it.
  const wide = useMediaQuery("(min-width: 961px)");
  const empty = event.montage.photoCount === 0;

  // The viewer changed (joined): what they may see and do changes with it.
  const userId = session.phase === "ready" ? (session.user?.userId ?? null) : undefined;
  const seenUser = useRef(userId);
  useEffect(() => {
    if (seenUser.current !== userId && userId !== undefined) refresh();
    seenUser.current = userId;
  }, [userId, refresh]);

  const ballot = <BallotPanel event={event} receivedAtMs={receivedAtMs} signedIn={signedIn} onCast={refresh} />;
  const upload =
    event.status === "published" ? null : (
      <UploadPanel
        event={event}
        availability={availability}
        items={uploads.items}
        onFiles={uploads.addFiles}
        onRetry={uploads.retry}
        onDismiss={uploads.dismiss}
      />
    );
  const share = event.published ? (
    <SharePanel
      url={publicUrl(event)}
      title={event.title}
      heading="Share the montage"
      hint="The published montage is public: anyone with this link can see and download it."
    />
  ) : (
    <SharePanel url={event.url} title={`Add your photos to “${event.title}”`} />
  );

  return (
    <main className="shell page event-page">
      <header className="event-head">
        <div className="event-head-row">
          <StatusBadge status={event.status} />
          <LiveIndicator live={live} />
          {(event.viewer.isContributor || event.published) && event.montage.photoCount > 0 && (
            <Link className="wall-link small" href={`/e/${encodeURIComponent(event.eventId)}/wall`}>
              Live wall for a projector
            </Link>
          )}
        </div>
        <h1 className="event-title">{event.title}</h1>
        <p className="muted">
          Started by {event.creatorName} · {formatDate(event.createdAt)}
        </p>
      </header>

      <PendingBanner event={event} creation={creation} uploads={uploads.items} />
      {staleMessage && (
        <div className="banner banner-warning" role="status">
          <p>This page may be out of date: {staleMessage} It retries by itself.</p>
        </div>
      )}

      <div className="event-grid">
        <div className="event-main">
          <AdminLinkCard eventId={event.eventId} />
          {session.phase === "ready" && session.user === null && event.status !== "published" && <JoinBox eventTitle={event.title} onJoined={refresh} />}
          <AbortNotice event={event} />
          {/* On a phone the invite stays near the top while the event is new, or for its creator. */}
          {!wide && (empty || event.viewer.hasCreatorRights) && share}
          <RoundTrail event={event} />
          {event.published && ballot}
          {empty && upload}
          <MontagePanel event={event} canUpload={availability.allowed} />
          {!event.published && !wide && ballot}
          {!wide && !empty && !event.viewer.hasCreatorRights && share}
          {!empty && upload}
          <PhotoGrid event={event} />
        </div>
        <aside className="event-side" aria-label="About this event">
          {!event.published && wide && ballot}
          {wide && empty && share}
          <ContributorList event={event} />
          {wide && !empty && share}
          <CreatorTools event={event} onChanged={refresh} />
          <SitesCard event={event} />
        </aside>
      </div>
    </main>
  );
}

/** /e/[eventId]: everything about one event, kept live by server-sent events. */
export function EventPage({ eventId, pendingTxId }: { eventId: string; pendingTxId: string | null }) {
  const { state, live, refresh } = useEventView(eventId);

  if (state.phase === "loading") return <EventSkeleton />;
  if (state.phase === "missing")
    return (
      <Problem title="We can't find this event on this site">
        <p>
          Check the link. If the event was created a moment ago, it appears here within moments — this page keeps looking.
        </p>
      </Problem>
    );
  if (state.phase === "failed")
    return (
      <Problem title="This event could not be loaded">
        <p>{state.error.message}</p>
        <p>
          <button type="button" className="btn btn-primary" onClick={refresh}>
            Try again
          </button>
        </p>
      </Problem>
    );
  return <EventScreen event={state.event} receivedAtMs={state.receivedAtMs} staleMessage={state.staleError?.message ?? null} live={live} refresh={refresh} pendingTxId={pendingTxId} />;
}
