// Keeps one event fresh on the page: fetch once, then again on every server-sent "changed"
// message, on a fallback timer (SSE can be cut by proxies or a site restart), when the tab
// becomes visible again and when the browser comes back online.
import { useCallback, useEffect, useRef, useState } from "react";
import { eventStreamMessage, type EventView } from "@/lib/api/contract";
import { eventStreamUrl, getEvent, type ApiError } from "./api";

export type EventViewState =
  | { phase: "loading" }
  | { phase: "missing"; error: ApiError }
  | { phase: "failed"; error: ApiError }
  /** `receivedAtMs`: when the answer arrived, on this page's monotonic clock (performance.now), the origin of the countdown. */
  | { phase: "ready"; event: EventView; staleError: ApiError | null; receivedAtMs: number };

const FALLBACK_REFRESH_MS = 10_000;
const PENDING_REFRESH_MS = 2_000;
const MISSING_REFRESH_MS = 5_000;
const STREAM_REOPEN_MS = 5_000;

export function useEventView(eventId: string): { state: EventViewState; live: boolean; refresh: () => void } {
  const [state, setState] = useState<EventViewState>({ phase: "loading" });
  const [live, setLive] = useState(false);
  const inFlight = useRef(false);
  const again = useRef(false);

  // Refreshes never overlap: a request during a fetch is folded into one more fetch after it,
  // so answers are applied in the order they were asked for.
  const refresh = useCallback(() => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    void (async () => {
      do {
        again.current = false;
        const result = await getEvent(eventId);
        if (result.ok) {
          setState({ phase: "ready", event: result.data, staleError: null, receivedAtMs: performance.now() });
        } else {
          const error = result.error;
          setState((previous) => {
            // Keep showing what we have through a blip or a restarting site; say it may be stale.
            if (previous.phase === "ready") return { ...previous, staleError: error };
            return error.status === 404 ? { phase: "missing", error } : { phase: "failed", error };
          });
        }
      } while (again.current);
      inFlight.current = false;
    })();
  }, [eventId]);

  useEffect(() => {
    refresh();
    const onVisible = () => {
      if (document.visibilityState === "visible") refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("online", refresh);
    return () => {
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("online", refresh);
    };
  }, [refresh]);

  // The live stream. EventSource retries by itself after a dropped connection; if the site
  // answers with an error instead (e.g. while restarting) it gives up, so we open a new one.
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const open = () => {
      source = new EventSource(eventStreamUrl(eventId));
      source.onopen = () => {
        setLive(true);
        refresh(); // anything missed while disconnected
      };
      source.onmessage = (message: MessageEvent<string>) => {
        let data: unknown;
        try {
          data = JSON.parse(message.data) as unknown;
        } catch {
          return;
        }
        const parsed = eventStreamMessage.safeParse(data);
        if (parsed.success && parsed.data.eventId === eventId) refresh();
      };
      source.onerror = () => {
        setLive(false);
        if (source?.readyState === EventSource.CLOSED && !closed) {
          source.close();
          reopenTimer = setTimeout(open, STREAM_REOPEN_MS);
        }
      };
    };
    open();
    return () => {
      closed = true;
      clearTimeout(reopenTimer);
      source?.close();
      setLive(false);
    };
  }, [eventId, refresh]);

  const pending = state.phase === "ready" && state.event.status === "pending";
  const missing = state.phase === "missing" || state.phase === "failed";
  useEffect(() => {
    // A pending or not-yet-replicated event changes without anyone here acting: look often.
    const timer = setInterval(refresh, pending ? PENDING_REFRESH_MS : missing ? MISSING_REFRESH_MS : FALLBACK_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh, pending, missing]);

  return { state, live, refresh };
}
