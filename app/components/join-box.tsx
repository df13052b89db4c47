"use client";
import { useId, useState, type FormEvent } from "react";
import { sessionRequest } from "@/lib/api/contract";
import { joinAs } from "@/lib/client/session-store";

/** Asks a visitor without a session for the name the others will see. */
export function JoinBox({ eventTitle, onJoined }: { eventTitle: string; onJoined: () => void }) {
  const ids = useId();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const parsed = sessionRequest.safeParse({ name });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Please enter a name.");
      return;
    }
    setBusy(true);
    setError(null);
    const result = await joinAs(parsed.data.name);
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    onJoined();
  }

  return (
    <section className="card card-accent join-box" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="card-title">
        Join “{eventTitle}”
      </h2>
      <p className="hint">Tell the others who you are. Your name appears next to your photos and your ballot; no account needed.</p>
      <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field grow">
          <label htmlFor={`${ids}-name`}>Your name</label>
          <input
            id={`${ids}-name`}
            className="input"
            autoComplete="nickname"
            maxLength={40}
            placeholder="e.g. Mia"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${ids}-error` : undefined}
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>
          {busy ? "Joining…" : "Join"}
        </button>
      </form>
      {error && (
        <p id={`${ids}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
