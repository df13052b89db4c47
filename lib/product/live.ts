import { EventEmitter } from "node:events";

/**
 * In-process notifications that an event changed at this site (a photo committed, a window
 * opened, a ballot landed, an outcome was decided). The event page's server-sent events
 * subscribe here; listeners are bounded by the stream route.
 */
const holder = globalThis as typeof globalThis & { __groupshotLive?: EventEmitter };
const bus = (holder.__groupshotLive ??= new EventEmitter().setMaxListeners(1_000));

export type ChangeNotice = { eventId: string; reason: string };

/** Emits after the current synchronous database transaction has returned (and so is durable). */
export function notifyChanged(eventId: string, reason: string): void {
  setImmediate(() => bus.emit("changed", { eventId, reason } satisfies ChangeNotice));
}

export function onChanged(listener: (notice: ChangeNotice) => void): () => void {
  bus.on("changed", listener);
  return () => bus.off("changed", listener);
}
