// What a step of the pure core asks the runtime to do. The runtime applies them in a safe order:
// persist / outbox / domain effects inside one store transaction, everything that leaves the site
// (sends, replies, timers, events) only after that transaction is durable.
import type { Draft } from "./messages";
import type { LogRecord } from "./log-records";
import type { Change, Decision, Json, SiteId, TxId } from "./types";

/** Timers are named, so a newer setTimer replaces an older one and a stale one can be ignored. */
export type TimerRef = { kind: "inquiry"; txId: TxId } | { kind: "prepare-timeout"; txId: TxId };

export type Effect =
  | { type: "persist"; record: LogRecord }
  /** Outbox slot (to, key): a newer message replaces the older one. Non-durable sends die with the process. */
  | { type: "send"; to: SiteId; key: string; msg: Draft; durable: boolean }
  | { type: "unsend"; to: SiteId; key: string }
  | { type: "reply"; msg: Draft }
  | { type: "setTimer"; timer: TimerRef; atMs: number }
  | { type: "clearTimer"; timer: TimerRef }
  | { type: "prepareChange"; txId: TxId; change: Change }
  | { type: "commitChange"; txId: TxId; change: Change; result: Json | undefined }
  | { type: "abortChange"; txId: TxId; change: Change }
  /** Notification for hooks (live updates, waitForOutcome); emitted after the transaction is durable. */
  | { type: "decided"; txId: TxId; role: "coordinator" | "participant"; decision: Decision; code?: string | undefined; reason?: string | undefined };

export interface StepResult<S> {
  state: S;
  effects: Effect[];
}

export function timerKey(timer: TimerRef): string {
  return `${timer.kind}:${timer.txId}`;
}

/** Outbox key of the coordinator's PREPARE, then DECISION, for one txn: the decision replaces the prepare. */
export function txOutboxKey(txId: TxId): string {
  return `tx:${txId}`;
}

/** Outbox key of a participant's INQUIRY about one txn. */
export function inquiryOutboxKey(txId: TxId): string {
  return `inq:${txId}`;
}
