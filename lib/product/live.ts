import { AppError } from "@/lib/errors";

/** Open streams per site; one more is refused (429 too_many_streams) rather than exhausting memory. */
export const MAX_STREAMS = 500;
const KEEPALIVE_MS = 15_000;

export type ChangeNotice = { eventId: string; reason: string };

/** Receives one encoded server-sent-events frame; the same bytes go to every stream of the event. */
export type FrameSink = (frame: Uint8Array) => void;

const encoder = new TextEncoder();

/** The frame of a change notice, as the event's stream sends it (docs/API.md, "…/stream"). */
export function changeFrame(notice: ChangeNotice): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify({ type: "changed", eventId: notice.eventId, reason: notice.reason })}\n\n`);
}

const KEEPALIVE_FRAME = encoder.encode(": keepalive\n\n");
/** The first line of every stream: how soon EventSource reconnects after the stream ends. */
export const RETRY_FRAME = encoder.encode("retry: 2000\n");

/**
 * In-process notifications that an event changed at this site (a photo committed, a window
 * opened, a ballot landed, an outcome was decided), fanned out to the event's open streams.
 * One per site (lib/server/boot.ts).
 *
 * Cheap with many open pages (issue 14, a 200-person event): streams are kept per event, so a
 * change touches only that event's streams; changes of one event in the same turn of the event
 * loop become one notice; each notice is serialised and encoded once and the same bytes are
 * handed to every stream; one keepalive timer serves all streams. At most `maxStreams` at once.
 */
export class LiveBus {
  private readonly byEvent = new Map<string, Set<FrameSink>>();
  private readonly queued = new Map<string, string>();
  private flushing = false;
  private keepalive: ReturnType<typeof setInterval> | undefined;
  private streams = 0;
  /** Frames encoded so far (one per delivered notice, however many streams it went to). */
  framesEncoded = 0;

  constructor(private readonly options: { maxStreams?: number; keepaliveMs?: number } = {}) {}

  get openStreams(): number {
    return this.streams;
  }

  /** Emits after the current synchronous database transaction has returned (and so is durable). */
  notify(eventId: string, reason: string): void {
    this.queued.set(eventId, reason);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => this.flush());
  }

  /**
   * Adds a stream of `eventId`; returns its unsubscribe. Throws `too_many_streams` when the
   * site already holds its maximum.
   */
  subscribe(eventId: string, sink: FrameSink): () => void {
    if (this.streams >= (this.options.maxStreams ?? MAX_STREAMS)) {
      throw new AppError("too_many_streams", "Too many live connections to this site; the page will retry.");
    }
    let sinks = this.byEvent.get(eventId);
    if (!sinks) {
      sinks = new Set();
      this.byEvent.set(eventId, sinks);
    }
    sinks.add(sink);
    this.streams += 1;
    this.keepalive ??= setInterval(() => this.everyStream(KEEPALIVE_FRAME), this.options.keepaliveMs ?? KEEPALIVE_MS).unref();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.streams -= 1;
      sinks.delete(sink);
      if (sinks.size === 0 && this.byEvent.get(eventId) === sinks) this.byEvent.delete(eventId);
      if (this.streams === 0) {
        clearInterval(this.keepalive);
        this.keepalive = undefined;
      }
    };
  }

  private flush(): void {
    this.flushing = false;
    const notices = [...this.queued];
    this.queued.clear();
    for (const [eventId, reason] of notices) {
      const sinks = this.byEvent.get(eventId);
      if (!sinks || sinks.size === 0) continue;
      const frame = changeFrame({ eventId, reason });
      this.framesEncoded += 1;
      // A copy of the set: a sink may unsubscribe (its client left) while we deliver.
      for (const sink of [...sinks]) sink(frame);
    }
  }

  private everyStream(frame: Uint8Array): void {
    for (const sinks of [...this.byEvent.values()]) for (const sink of [...sinks]) sink(frame);
  }
}
