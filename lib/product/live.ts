import { EventEmitter } from "node:events";

export type ChangeNotice = { eventId: string; reason: string };

/**
 * In-process notifications that an event changed at this site (a photo committed, a window
 * opened, a ballot landed, an outcome was decided). The event page's server-sent events
 * subscribe here; listeners are bounded by the stream route. One per site (lib/server/boot.ts).
 */
export class LiveBus {
  private readonly bus = new EventEmitter().setMaxListeners(1_000);

  /** Emits after the current synchronous database transaction has returned (and so is durable). */
  notify(eventId: string, reason: string): void {
    setImmediate(() => this.bus.emit("changed", { eventId, reason } satisfies ChangeNotice));
  }

  onChanged(listener: (notice: ChangeNotice) => void): () => void {
    this.bus.on("changed", listener);
    return () => this.bus.off("changed", listener);
  }
}
