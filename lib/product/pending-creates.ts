import type { CreateEventData } from "./changes";

const MAX_PENDING_CREATES = 10_000;

/** Events being created here whose outcome is not known yet: GET shows them as pending. Bounded (oldest forgotten first). */
export class PendingCreates {
  private readonly byEvent = new Map<string, { txId: string; data: CreateEventData }>();

  add(txId: string, data: CreateEventData): void {
    if (this.byEvent.size >= MAX_PENDING_CREATES) this.byEvent.delete(this.byEvent.keys().next().value ?? "");
    this.byEvent.set(data.eventId, { txId, data });
  }

  get(eventId: string): { txId: string; data: CreateEventData } | undefined {
    return this.byEvent.get(eventId);
  }

  delete(eventId: string): void {
    this.byEvent.delete(eventId);
  }
}
