"use client";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent } from "react";
import { createEventRequest, sessionRequest } from "@/lib/api/contract";
import { createEvent } from "@/lib/client/api";
import { newIdempotencyKey } from "@/lib/client/idempotency-key";
import { keepAdminLinkForDisplay } from "@/lib/client/admin-link-store";
import { joinAs, useSession } from "@/lib/client/session-store";

type FieldErrors = { name?: string; title?: string; minContributors?: string };

export function CreateEventForm() {
  const router = useRouter();
  const session = useSession();
  const ids = useId();
  const [name, setName] = useState("");
  const [title, setTitle] = useState("");
  // Kept as typed (a number field may hold "" while someone edits it); parsed on submit.
  const [minContributors, setMinContributors] = useState("1");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<null | "joining" | "creating" | "opening">(null);
  // One key per title: a double click or a retry after a lost answer creates one event.
  const attempt = useRef<{ title: string; key: string } | null>(null);

  const needsName = session.phase !== "ready" || session.user === null;
  const user = session.phase === "ready" ? session.user : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setFormError(null);
    const errors: FieldErrors = {};
    const parsedTitle = createEventRequest.safeParse({ title, minContributors: minContributors.trim() === "" ? undefined : Number(minContributors) });
    if (!parsedTitle.success) {
      for (const issue of parsedTitle.error.issues) {
        const field = issue.path[0] === "minContributors" ? "minContributors" : "title";
        errors[field] ??= issue.message;
      }
    }
    const parsedName = needsName ? sessionRequest.safeParse({ name }) : null;
    if (parsedName && !parsedName.success) errors.name = parsedName.error.issues[0]?.message;
    setFieldErrors(errors);
    if (!parsedTitle.success || (parsedName && !parsedName.success)) return;

    if (parsedName) {
      setBusy("joining");
      const joined = await joinAs(parsedName.data.name);
      if (!joined.ok) {
        setBusy(null);
        setFormError(joined.error.message);
        return;
      }
    }
    setBusy("creating");
    const wanted = `${parsedTitle.data.minContributors ?? 1}:${parsedTitle.data.title}`;
    if (attempt.current?.title !== wanted) attempt.current = { title: wanted, key: newIdempotencyKey() };
    const created = await createEvent({ title: parsedTitle.data.title, minContributors: parsedTitle.data.minContributors, idempotencyKey: attempt.current.key });
    if (!created.ok) {
      setBusy(null);
      const fieldMessage = created.error.details?.fields;
      if (created.error.code === "invalid" && typeof fieldMessage === "object" && fieldMessage !== null && "minContributors" in fieldMessage) {
        setFieldErrors({ minContributors: created.error.message });
        return;
      }
      setFormError(
        created.error.definite
          ? created.error.message
          : `${created.error.message} Press “Create event” again: it will not create a second event.`,
      );
      return;
    }
    setBusy("opening");
    const { eventId, status, txId, adminUrl } = created.data;
    // Shown once, on the event page; a replayed answer (same key) has none to show.
    if (adminUrl) keepAdminLinkForDisplay(eventId, adminUrl);
    router.push(`/e/${encodeURIComponent(eventId)}${status === "pending" ? `?tx=${encodeURIComponent(txId)}` : ""}`);
  }

  const buttonText = busy === "joining" ? "Saving your name…" : busy === "creating" ? "Creating…" : busy === "opening" ? "Opening your event…" : "Create event";

  return (
    <form className="card create-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`} className="card-title">
        Start an event
      </h2>
      {needsName ? (
        <div className="field">
          <label htmlFor={`${ids}-name`}>Your name</label>
          <input
            id={`${ids}-name`}
            className="input"
            name="name"
            autoComplete="nickname"
            maxLength={40}
            placeholder="e.g. Mia"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={fieldErrors.name ? true : undefined}
            aria-describedby={fieldErrors.name ? `${ids}-name-error` : `${ids}-name-hint`}
            disabled={session.phase === "loading"}
          />
          {fieldErrors.name ? (
            <p id={`${ids}-name-error`} className="field-error">
              {fieldErrors.name}
            </p>
          ) : (
            <p id={`${ids}-name-hint`} className="hint">
              Shown to the others next to your photos. No account, no password.
            </p>
          )}
        </div>
      ) : (
        <p className="hint signed-in-as">
          Creating as <strong>{user?.name}</strong>
        </p>
      )}
      <div className="field">
        <label htmlFor={`${ids}-title`}>Event title</label>
        <input
          id={`${ids}-title`}
          className="input"
          name="title"
          maxLength={80}
          placeholder="e.g. Lisa's 30th birthday"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          aria-invalid={fieldErrors.title ? true : undefined}
          aria-describedby={fieldErrors.title ? `${ids}-title-error` : undefined}
        />
        {fieldErrors.title && (
          <p id={`${ids}-title-error`} className="field-error">
            {fieldErrors.title}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-min`}>People needed before voting</label>
        <input
          id={`${ids}-min`}
          className="input input-narrow"
          name="minContributors"
          type="number"
          inputMode="numeric"
          min={1}
          max={200}
          step={1}
          value={minContributors}
          onChange={(e) => setMinContributors(e.target.value)}
          aria-invalid={fieldErrors.minContributors ? true : undefined}
          aria-describedby={fieldErrors.minContributors ? `${ids}-min-error` : `${ids}-min-hint`}
        />
        {fieldErrors.minContributors ? (
          <p id={`${ids}-min-error`} className="field-error">
            {fieldErrors.minContributors}
          </p>
        ) : (
          <p id={`${ids}-min-hint`} className="hint">
            Voting on the montage can start once this many people have added photos. With 1, the first person can vote at once.
          </p>
        )}
      </div>
      <div className="live-slot" aria-live="polite">{formError && <p className="banner banner-error" role="alert">{formError}</p>}</div>
      <button type="submit" className="btn btn-primary btn-block" disabled={busy !== null} aria-busy={busy !== null}>
        {buttonText}
      </button>
    </form>
  );
}
