import { changeFrame, RETRY_FRAME, type LiveBus } from "./live";

/** A stream ends after this long; EventSource reconnects by itself. Bounds every stream. */
const MAX_STREAM_MS = 10 * 60_000;
/** Frames a stream may hold unread (a client that stopped reading): past this it is closed, and its page reconnects and re-reads. */
const MAX_QUEUED_FRAMES = 64;

/** GET /api/events/:id/stream: server-sent "changed" notices of one event (fanned out by the site's LiveBus). */
export function openEventStream(live: LiveBus, eventId: string, signal: AbortSignal): Response {
  // Subscribing first throws too_many_streams (429) before any stream exists when the site is full.
  let deliver = (_frame: Uint8Array) => {};
  const unsubscribe = live.subscribe(eventId, (frame) => deliver(frame));
  let close = () => {};
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let closed = false;
        const limit = setTimeout(() => close(), MAX_STREAM_MS);
        close = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearTimeout(limit);
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        };
        const send = (frame: Uint8Array) => {
          if (closed) return;
          if ((controller.desiredSize ?? 0) <= -MAX_QUEUED_FRAMES) return close();
          try {
            controller.enqueue(frame);
          } catch {
            close();
          }
        };
        deliver = send;
        send(RETRY_FRAME);
        send(changeFrame({ eventId, reason: "connected" }));
        signal.addEventListener("abort", () => close());
      },
      cancel() {
        close();
      },
    },
    { highWaterMark: 1 },
  );
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
}
