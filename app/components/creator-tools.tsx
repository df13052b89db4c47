"use client";
import { useState } from "react";
import type { EventView } from "@/lib/api/contract";
import { setEventClosed } from "@/lib/client/api";
import { newIdempotencyKey } from "@/lib/client/idempotency-key";

type Step = { phase: "idle" } | { phase: "working"; closing: boolean; key: string } | { phase: "pending" } | { phase: "failed"; message: string; closing: boolean; key: string };

/** For the creator (or whoever opened the admin link): close the event to new contributors, or reopen it. */
export function CreatorTools({ event, onChanged }: { event: EventView; onChanged: () => void }) {
  const [step, setStep] = useState<Step>({ phase: "idle" });
  if (!event.viewer.hasCreatorRights || event.status === "published" || event.status === "pending") return null;
  const closing = !event.closed;

  async function run(key: string) {
    setStep({ phase: "working", closing, key });
    // The same key on a retry: a change that went through is not asked for twice.
    const result = await setEventClosed({ eventId: event.eventId, closed: closing, idempotencyKey: key });
    if (!result.ok) {
      setStep({ phase: "failed", message: result.error.message, closing, key });
      return;
    }
    setStep(result.data.status === "pending" ? { phase: "pending" } : { phase: "idle" });
    onChanged();
  }

  const retryKey = step.phase === "failed" && step.closing === closing ? step.key : null;
  return (
    <section className="card creator-tools" aria-labelledby="creator-tools-title">
      <h2 id="creator-tools-title" className="card-title">
        Creator tools
      </h2>
      <p className="hint">
        {event.closed
          ? "Closed to new contributors: people who already added a photo can still add more and vote."
          : "Anyone with the invite link can join and add photos. You can also remove any photo from the list."}
      </p>
      {step.phase === "failed" && (
        <p className="small error-text" role="alert">
          {step.message}
        </p>
      )}
      {step.phase === "pending" && (
        <p className="small muted" role="status">
          Waiting for every server to confirm; this completes by itself.
        </p>
      )}
      <button
        type="button"
        className="btn btn-secondary btn-block"
        disabled={step.phase === "working"}
        aria-busy={step.phase === "working"}
        onClick={() => void run(retryKey ?? newIdempotencyKey())}
      >
        {step.phase === "working" ? (closing ? "Closing…" : "Reopening…") : closing ? "Close to new contributors" : "Reopen to new contributors"}
      </button>
    </section>
  );
}
