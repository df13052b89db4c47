"use client";
import Link from "next/link";
import { useId, useState } from "react";
import type { BallotAnswer, EventView } from "@/lib/api/contract";
import { castBallot } from "@/lib/client/api";
import { MAX_REASON_CHARS } from "@/lib/api/contract";
import { acceptTally, ballotState, ballotWindowText, openRound, roundLabel, type BallotState } from "@/lib/client/event-state";
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
  const label = "round" in state ? roundLabel(state.round) : null;
  const of = label ? ` · ${label}` : "";
  switch (state.kind) {
    case "published":
      return "Published — everyone said yes";
    case "can-vote":
      return state.deadline ? `The vote is open${of}` : state.opens && state.round > 1 ? `Try again: ${label ?? ""}` : "Happy with this montage?";
    case "voted":
      return state.decision === "accept" ? `You accepted this montage${of}` : `You rejected this montage${of}`;
    case "observer":
    case "waiting":
      return state.deadline ? `Contributors are deciding${of}` : "Ballot";
    case "needs-contributors":
      return `Waiting for contributors`;
    case "no-montage":
      return "Ballot";
  }
}

/** `receivedAtMs`: when `event` arrived (performance.now), where the countdown starts from. */
export function BallotPanel({ event, receivedAtMs, signedIn, onCast }: { event: EventView; receivedAtMs: number; signedIn: boolean; onCast: () => void }) {
  const ids = useId();
  const [confirmReject, setConfirmReject] = useState(false);
  const [confirmAlone, setConfirmAlone] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState<Decision | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<BallotAnswer | null>(null);

  const derived = ballotState(event, signedIn);
  // Show our own ballot at once, before the refreshed event arrives.
  const state: BallotState =
    derived.kind === "can-vote" && recorded && recorded.montageVersion === derived.version && recorded.round === derived.round
      ? { kind: "voted", version: derived.version, round: derived.round, decision: recorded.decision, deadline: derived.deadline ?? recorded.deadline }
      : derived;
  if (state.kind === "no-montage") return null;
  const deadline = "deadline" in state ? state.deadline : null;
  const remainingMs = openRound(event)?.remainingMs ?? null;

  async function cast(decision: Decision, version: number, round: number) {
    setBusy(decision);
    setError(null);
    const why = decision === "reject" && reason.trim() !== "" ? reason.trim() : undefined;
    const result = await castBallot({ eventId: event.eventId, montageVersion: version, round, decision, reason: why });
    setBusy(null);
    setConfirmReject(false);
    setConfirmAlone(false);
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
        {deadline && remainingMs !== null && <Countdown remainingMs={remainingMs} receivedAtMs={receivedAtMs} />}
      </div>

      {state.kind === "published" && (
        <p>
          Every contributor accepted this montage; it is public since {formatDateTime(state.publishedAt)}.{" "}
          <Link href={`/p/${encodeURIComponent(event.eventId)}`}>Open the public page</Link>
        </p>
      )}

      {state.kind === "can-vote" && !state.deadline && !state.alone && (
        <p className="muted">
          Accepting opens a {ballotWindowText(event)} ballot window{state.round > 1 ? ` (round ${state.round} of this version)` : ""}: every contributor must
          then accept this montage, or the round ends and uploads reopen.
        </p>
      )}
      {state.kind === "can-vote" && state.alone && (
        <p className="muted">You are the only contributor so far: your accept alone would publish this montage for everyone.</p>
      )}
      {state.kind === "needs-contributors" && (
        <p className="muted">
          This event needs {state.needed} contributors before voting can start; it has {state.have}. Share the link so others can add photos.
        </p>
      )}
      {state.kind === "voted" && <p className="muted">Ballots are final: yours is stored and cannot be changed.</p>}
      {state.kind === "observer" && !state.deadline && (
        <p className="muted">
          Contributors decide here whether the montage is published. {signedIn ? "Add a photo to take part." : "Join and add a photo to take part."}
        </p>
      )}
      {state.kind === "observer" && state.deadline && <p className="muted">Only people who added a photo can cast a ballot.</p>}
      {state.kind === "waiting" && <p className="muted">Your ballot cannot be cast right now; this page updates by itself.</p>}

      {deadline && <Tally event={event} />}

      {state.kind === "can-vote" && !confirmReject && !confirmAlone && (
        <div className="ballot-actions">
          <button
            type="button"
            className="btn btn-accept btn-large"
            disabled={busy !== null}
            aria-busy={busy === "accept"}
            onClick={() => (state.alone ? setConfirmAlone(true) : void cast("accept", state.version, state.round))}
          >
            {busy === "accept" ? "Recording…" : "Accept this montage"}
          </button>
          {!(state.opens && state.round > 1) && (
            <button type="button" className="btn btn-reject btn-large" disabled={busy !== null} onClick={() => setConfirmReject(true)}>
              Reject
            </button>
          )}
        </div>
      )}
      {state.kind === "can-vote" && confirmAlone && (
        <div className="confirm" role="alertdialog" aria-labelledby={`${ids}-alone`}>
          <p id={`${ids}-alone`}>
            <strong>Publish now?</strong> You are the only contributor, so accepting publishes this montage at once: it becomes public and no more photos can be added. Others who want to take part should add their photos first.
          </p>
          <div className="ballot-actions">
            <button type="button" className="btn btn-accept btn-large" disabled={busy !== null} aria-busy={busy === "accept"} onClick={() => void cast("accept", state.version, state.round)}>
              {busy === "accept" ? "Recording…" : "Yes, publish now"}
            </button>
            <button type="button" className="btn btn-secondary btn-large" disabled={busy !== null} onClick={() => setConfirmAlone(false)}>
              Not yet
            </button>
          </div>
        </div>
      )}
      {state.kind === "can-vote" && confirmReject && (
        <div className="confirm" role="group" aria-labelledby={`${ids}-confirm`}>
          <p id={`${ids}-confirm`}>
            <strong>Reject this montage?</strong> The round ends for everyone and uploads reopen. Ballots are final.
          </p>
          <label className="field" htmlFor={`${ids}-reason`}>
            <span>Why? (optional, shown to the contributors)</span>
            <textarea id={`${ids}-reason`} rows={2} maxLength={MAX_REASON_CHARS} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <p className="hint">
            If one photo is the problem, its uploader or the event&apos;s creator can remove it once this round has ended (<em>Remove…</em> under the photo),
            and then everyone votes on the new montage.
          </p>
          <div className="ballot-actions">
            <button type="button" className="btn btn-danger btn-large" disabled={busy !== null} aria-busy={busy === "reject"} onClick={() => void cast("reject", state.version, state.round)}>
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
