// The visitor's identity, shared by every component on the page (the header shows the name,
// the join box and the create form set it). A tiny external store instead of a context, so
// any component can read it without a provider.
import { useEffect, useSyncExternalStore } from "react";
import type { SessionAnswer } from "@/lib/api/contract";
import { createSession, deleteSession, getSession, type ApiError, type ApiResult } from "./api";

export type SessionState =
  | { phase: "loading" }
  | { phase: "ready"; user: SessionAnswer | null }
  | { phase: "error"; error: ApiError };

const loadingState: SessionState = { phase: "loading" };
let current: SessionState = loadingState;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

function set(next: SessionState): void {
  current = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Loads GET /api/session once per page load (again after an error). */
export function loadSession(): Promise<void> {
  if (current.phase === "ready") return Promise.resolve();
  loading ??= getSession().then((result) => {
    loading = null;
    set(result.ok ? { phase: "ready", user: result.data } : { phase: "error", error: result.error });
  });
  return loading;
}

export function useSession(): SessionState {
  const state = useSyncExternalStore(subscribe, () => current, () => loadingState);
  useEffect(() => {
    void loadSession();
  }, []);
  return state;
}

/** POST /api/session: the site sets the cookie; every component sees the new name at once. */
export async function joinAs(name: string): Promise<ApiResult<SessionAnswer>> {
  const result = await createSession(name);
  if (result.ok) set({ phase: "ready", user: result.data });
  return result;
}

/** DELETE /api/session: the site clears the cookie; every component sees nobody at once. */
export async function signOut(): Promise<ApiResult<null>> {
  const result = await deleteSession();
  if (result.ok) set({ phase: "ready", user: null });
  return result;
}
