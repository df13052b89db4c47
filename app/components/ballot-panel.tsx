"use client";
import Link from "next/link";
import { useId, useState } from "react";
import type { BallotAnswer, EventView } from "@/lib/api/contract";
import { castBallot } from "@/lib/client/api";
import { acceptTally, ballotState, ballotWindowText, type BallotState } from "@/lib/client/event-state";
import { formatDateTime, joinNames } from "@/lib/client/format";
import { Countdown } from "./countdown";

type Decision = "accept" | "reject";

function Tally({ event }: { event: EventView }) {
  const { accepted, total } = acceptTally(event);
  const waiting = event.contributors.filter((c) => c.ballot === null).map((c) => (c.userId === event.viewer.userId ? "you" : c.name));
  const rejected = event.contributors.filter((c) => c.ballot === "reject").map((c) => c.name);
  return (
    <div className="tally">
      <div className="tally-line">
        <strong>
          {accepted} of {total}
        </strong>{" "}
        accepted
      </div>
      <div className="tally-bar" aria-hidden="true">
        <span style={{ width: `${total === 0 ? 0 : (accepted / total) * 100}%` }} />
      </div>
      {rejected.length > 0 && <p className="small tally-rejected">Rejected by {joinNames(rejected)}</p>}
      {waiting.length > 0 && rejected.length === 0 && <p className="small muted">Waiting for {joinNames(waiting)}</p>}
    </div>
  );
}

function heading(state: BallotState): string {
  switch (state.kind) {
    case "published":
      return "Published — everyone said yes";
    case "can-vote":
      return state.deadline ? "The vote is open" : "Happy with this montage?";
    case "voted":
      return state.decision === "accept" ? "You accepted this montage" : "You rejected this montage";
    case "observer":
    case "waiting":
      return state.deadline ? "Contributors are deciding" : "Ballot";
    case "round-over":
      return "The vote on this montage is over";
    case "no-montage":
      return "Ballot";
  }
}

export function BallotPanel({ event, signedIn, onCast }: { event: EventView; signedIn: boolean; onCast: () => void }) {
  const ids = useId();
  const [confirmReject, setConfirmReject] = useState(false);
  const [busy, setBusy] = useState<Decision | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<BallotAnswer | null>(null);

  const derived = ballotState(event, signedIn);
  // Show our own ballot at once, before the refreshed event arrives.
  const state: BallotState =
    derived.kind === "can-vote" && recorded && recorded.montageVersion === derived.version
      ? { kind: "voted", version: derived.version, decision: recorded.decision, deadline: derived.deadline ?? recorded.deadline }
      : derived;
  if (state.kind === "no-montage") return null;
  const deadline = "deadline" in state ? state.deadline : null;

  async function cast(decision: Decision, version: number) {
    setBusy(decision);
    setError(null);
    const result = await castBallot({ eventId: event.eventId, montageVersion: version, decision });
    setBusy(null);
    setConfirmReject(false);
    if (!result.ok) {
      setError(result.error.message);
      onCast(); // the refusal often means the event moved on: show where it is now
      return;
    }
    setRecorded(result.data);
    onCast();
  }

  const tone = state.kind === "published" ? " card-success" : state.kind === "voted" && state.decision === "reject" ? " card-danger" : state.kind === "can-vote" ? " card-accent" : "";

  return (
    <section className={`card ballot${tone}`} aria-labelledby={`${ids}-title`}>
      <div className="card-head">
        <h2 id={`${ids}-title`} className="card-title" aria-live="polite">
          {(state.kind === "voted" || state.kind === "published") && (
            <span aria-hidden="true">{state.kind === "published" || state.decision === "accept" ? "✓ " : "✕ "}</span>
          )}
          {heading(state)}
        </h2>
        {deadline && <Countdown deadline={deadline} />}
      </div>

      {state.kind === "published" && (
        <p>
          Every contributor accepted this montage; it is public since {formatDateTime(state.publishedAt)}.{" "}
          <Link href={`/p/${encodeURIComponent(event.eventId)}`}>Open the public page</Link>
        </p>
      )}

      {state.kind === "can-vote" && !state.deadline && (
        <p className="muted">
          Accepting opens a {ballotWindowText(event)} ballot window: every contributor must then accept this montage, or the round
          ends and uploads reopen.
        </p>
      )}
      {state.kind === "voted" && <p className="muted">Ballots are final: yours is stored and cannot be changed.</p>}
      {state.kind === "observer" && !state.deadline && (
        <p className="muted">
          Contributors decide here whether the montage is published. {signedIn ? "Add a photo to take part." : "Join and add a photo to take part."}
        </p>
      )}
      {state.kind === "observer" && state.deadline && <p className="muted">Only people who added a photo can cast a ballot.</p>}
      {state.kind === "waiting" && <p className="muted">Your ballot cannot be cast on this site right now.</p>}
      {state.kind === "round-over" && (
        <p className="muted">
          {state.decision ? `You had ${state.decision === "accept" ? "accepted" : "rejected"} it. ` : ""}A new photo makes a new montage version, and
          the first accept opens its ballot window.
        </p>
      )}

      {deadline && <Tally event={event} />}

      {state.kind === "can-vote" && !confirmReject && (
        <div className="ballot-actions">
          <button type="button" className="btn btn-accept btn-large" disabled={busy !== null} aria-busy={busy === "accept"} onClick={() => void cast("accept", state.version)}>
            {busy === "accept" ? "Recording…" : "Accept this montage"}
          </button>
          <button type="button" className="btn btn-reject btn-large" disabled={busy !== null} onClick={() => setConfirmReject(true)}>
            Reject
          </button>
        </div>
      )}
      {state.kind === "can-vote" && confirmReject && (
        <div className="confirm" role="group" aria-labelledby={`${ids}-confirm`}>
          <p id={`${ids}-confirm`}>
            <strong>Reject this montage?</strong> The round ends for everyone and uploads reopen. Ballots are final.
          </p>
          <div className="ballot-actions">
            <button type="button" className="btn btn-danger btn-large" disabled={busy !== null} aria-busy={busy === "reject"} onClick={() => void cast("reject", state.version)}>
              {busy === "reject" ? "Recording…" : "Yes, reject"}
            </button>
            <button type="button" className="btn btn-secondary btn-large" disabled={busy !== null} onClick={() => setConfirmReject(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {state.kind === "can-vote" && <p className="hint">Your ballot is final once cast.</p>}

      <div className="live-slot" aria-live="assertive">
        {error && (
          <p className="banner banner-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
