"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { claimAdminLink } from "@/lib/client/api";
import { useSession } from "@/lib/client/session-store";
import { JoinBox } from "./join-box";

type Phase = { kind: "reading" } | { kind: "no-token" } | { kind: "claiming" } | { kind: "refused"; message: string } | { kind: "done" };

/**
 * /e/[eventId]/admin#<token>: the admin link. The token is read from the fragment (never sent in
 * a URL), handed to the site once, and wiped from the address bar; the page then opens the event
 * with the creator's rights. Someone without a session first says who they are.
 */
export function AdminLinkPage({ eventId }: { eventId: string }) {
  const router = useRouter();
  const session = useSession();
  const token = useRef<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "reading" });
  const signedIn = session.phase === "ready" && session.user !== null;

  useEffect(() => {
    token.current = window.location.hash.slice(1) || null;
    // Out of the address bar and the history at once: a shoulder or a screenshot does not see it.
    if (token.current) window.history.replaceState(null, "", window.location.pathname);
    setPhase(token.current ? { kind: "claiming" } : { kind: "no-token" });
  }, []);

  useEffect(() => {
    if (phase.kind !== "claiming" || !signedIn || !token.current) return;
    let cancelled = false;
    void claimAdminLink({ eventId, token: token.current }).then((result) => {
      if (cancelled) return;
      if (!result.ok) {
        setPhase({ kind: "refused", message: result.error.message });
        return;
      }
      token.current = null;
      setPhase({ kind: "done" });
      router.replace(`/e/${encodeURIComponent(eventId)}`);
    });
    return () => {
      cancelled = true;
    };
  }, [phase.kind, signedIn, eventId, router]);

  const eventHref = `/e/${encodeURIComponent(eventId)}`;
  return (
    <main className="shell page narrow-page">
      {phase.kind === "no-token" && (
        <div className="card problem" role="alert">
          <h1>This admin link is incomplete</h1>
          <p>The part after “#” is missing. Copy the whole link you saved when you created the event and open it again.</p>
          <p>
            <Link href={eventHref} className="btn btn-secondary">
              Open the event
            </Link>
          </p>
        </div>
      )}
      {phase.kind === "refused" && (
        <div className="card problem" role="alert">
          <h1>This admin link does not work</h1>
          <p>{phase.message}</p>
          <p>
            <Link href={eventHref} className="btn btn-secondary">
              Open the event as a guest
            </Link>
          </p>
        </div>
      )}
      {(phase.kind === "claiming" || phase.kind === "reading" || phase.kind === "done") && (
        <>
          <h1 className="page-title">Admin link</h1>
          {session.phase === "ready" && session.user === null ? (
            <>
              <p className="muted">This link gives you the event creator&apos;s rights. First tell us your name; it appears next to anything you add.</p>
              <JoinBox eventTitle="the event" onJoined={() => undefined} />
            </>
          ) : (
            <p className="muted" role="status">
              {phase.kind === "done" ? "Done: opening the event…" : "Checking the admin link…"}
            </p>
          )}
        </>
      )}
    </main>
  );
}
