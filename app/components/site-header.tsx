"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { getHealth } from "@/lib/client/api";
import { signOut, useSession } from "@/lib/client/session-store";

/** The bar on every page: the product, who you are, and a way to the status page (which names the server). */
export function SiteHeader() {
  const [siteId, setSiteId] = useState<string | null>(null);
  const [healthFailed, setHealthFailed] = useState(false);
  const session = useSession();
  const [confirmingSignOut, setConfirmingSignOut] = useState(false);
  const [signOutFailed, setSignOutFailed] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    void getHealth(controller.signal).then((result) => {
      if (controller.signal.aborted) return;
      if (result.ok) setSiteId(result.data.siteId);
      else setHealthFailed(true);
    });
    return () => controller.abort();
  }, []);

  const user = session.phase === "ready" ? session.user : null;
  return (
    <header className="site-header">
      <div className="shell site-header-inner">
        <Link href="/" className="brand" aria-label="groupshot, home">
          <span className="brand-mark" aria-hidden="true">
            <svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
              <rect x="3" y="3" width="8" height="8" rx="2" />
              <rect x="13" y="3" width="8" height="8" rx="2" />
              <rect x="3" y="13" width="8" height="8" rx="2" />
              <rect x="13" y="13" width="8" height="8" rx="2" />
            </svg>
          </span>
          <span className="brand-name">groupshot</span>
        </Link>
        <nav className="site-nav" aria-label="Site">
          {user && (
            <span className="nav-user" title="Your display name on this site">
              <span className="sr-only">Signed in as </span>
              {user.name}
            </span>
          )}
          {user && !confirmingSignOut && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirmingSignOut(true)}>
              Sign out
            </button>
          )}
          {user && confirmingSignOut && (
            <span className="nav-sign-out" role="group" aria-label="Sign out">
              <span className="nav-sign-out-note">
                {signOutFailed ? "Could not sign out; try again." : `This browser will no longer be ${user.name}: your photos stay, but you cannot remove them or vote as ${user.name} again.`}
              </span>
              <button
                type="button"
                className="btn btn-danger btn-small"
                onClick={() =>
                  void signOut().then((result) => {
                    setSignOutFailed(!result.ok);
                    // Every part of the page that showed what this person may do reads it again.
                    if (result.ok) window.location.reload();
                  })
                }
              >
                Sign out
              </button>
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirmingSignOut(false)}>
                Cancel
              </button>
            </span>
          )}
          <Link href="/status" className="site-pill" title="Server status: its connections, backlog and log">
            <span className={`dot ${siteId ? "dot-ok" : healthFailed ? "dot-bad" : "dot-idle"}`} aria-hidden="true" />
            <span className="site-pill-status">{healthFailed ? "Unreachable" : "Status"}</span>
          </Link>
        </nav>
      </div>
    </header>
  );
}
