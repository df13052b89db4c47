import { AppError } from "@/lib/errors";
import type { LiveBus } from "./live";

/** Open streams per site process; one more is refused with 429 rather than exhausting memory. */
const MAX_STREAMS = 500;
const KEEPALIVE_MS = 15_000;
/** A stream ends after this long; EventSource reconnects by itself. Bounds every stream. */
const MAX_STREAM_MS = 10 * 60_000;
let openStreams = 0;

export function openEventStream(live: LiveBus, eventId: string, signal: AbortSignal): Response {
  if (openStreams >= MAX_STREAMS) throw new AppError("too_many_streams", "Too many live connections to this site; the page will retry.");
  openStreams += 1;
  const encoder = new TextEncoder();
  let close = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      send(`retry: 2000\ndata: ${JSON.stringify({ type: "changed", eventId, reason: "connected" })}\n\n`);
      const unsubscribe = live.onChanged((notice) => {
        if (notice.eventId === eventId) send(`data: ${JSON.stringify({ type: "changed", eventId, reason: notice.reason })}\n\n`);
      });
      const keepalive = setInterval(() => send(": keepalive\n\n"), KEEPALIVE_MS);
      const limit = setTimeout(() => close(), MAX_STREAM_MS);
      let closed = false;
      close = () => {
        if (closed) return;
        closed = true;
        openStreams -= 1;
        unsubscribe();
        clearInterval(keepalive);
        clearTimeout(limit);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      signal.addEventListener("abort", () => close());
    },
    cancel() {
      close();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
}
