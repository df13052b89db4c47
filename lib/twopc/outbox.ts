// The in-memory twin of the outbox (durable rows plus non-durable PREPAREs) and per-peer delivery
// lanes: a few calls in flight per peer, each a batch of messages not already on the way,
// exponential backoff with jitter. A message stays until the peer replies to it (or a newer
// message replaces its slot).
import { retryDelayMs } from "./backoff";
import type { Message } from "./messages";
import type { Clock, Random, Timers } from "./ports/clock";
import type { SiteId } from "./types";

export interface OutboxEntry {
  peer: SiteId;
  key: string;
  msg: Message;
  durable: boolean;
}

/** A change of the twin, applied only after the store transaction that made it is durable. */
export type OutboxOp =
  | { op: "put"; entry: OutboxEntry }
  | { op: "delete"; peer: SiteId; key: string; ifMsgId?: string | undefined };

export type DispatchOutcome = { ok: true } | { ok: false; error: string };

/** Sends one batch; must call `done` exactly once (possibly synchronously). */
export type Dispatch = (peer: SiteId, batch: readonly OutboxEntry[], done: (outcome: DispatchOutcome) => void) => void;

export interface PeerBacklog {
  peer: SiteId;
  backlog: number;
  inFlight: boolean;
  attempt: number;
  nextAttemptAtMs: number | undefined;
  lastSuccessAtMs: number | undefined;
  lastError: string | undefined;
}

interface Lane {
  peer: SiteId;
  entries: Map<string, OutboxEntry>;
  /** Messages (by msgId) inside a call now; a newer message in the same slot is not among them. */
  sending: Set<string>;
  calls: number;
  cancelTimer: (() => void) | undefined;
  attempt: number;
  nextAttemptAtMs: number | undefined;
  lastSuccessAtMs: number | undefined;
  lastError: string | undefined;
}

export interface OutboxDeps {
  clock: Clock;
  timers: Timers;
  random: Random;
  batchSize: number;
  /** Calls in flight to one peer at most. */
  maxCalls: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  dispatch: Dispatch;
  /** Wraps timer callbacks so an exception stops the node instead of escaping. */
  guard: (fn: () => void) => () => void;
}

export class Outbox {
  private readonly lanes = new Map<SiteId, Lane>();
  private stopped = false;

  constructor(private readonly deps: OutboxDeps) {}

  apply(op: OutboxOp): void {
    if (op.op === "put") {
      this.lane(op.entry.peer).entries.set(op.entry.key, op.entry);
      return;
    }
    const lane = this.lanes.get(op.peer);
    const current = lane?.entries.get(op.key);
    if (!lane || !current) return;
    if (op.ifMsgId === undefined || current.msg.msgId === op.ifMsgId) lane.entries.delete(op.key);
  }

  get(peer: SiteId, key: string): OutboxEntry | undefined {
    return this.lanes.get(peer)?.entries.get(key);
  }

  backlog(peer: SiteId): number {
    return this.lanes.get(peer)?.entries.size ?? 0;
  }

  status(): PeerBacklog[] {
    return [...this.lanes.values()].map((lane) => ({
      peer: lane.peer,
      backlog: lane.entries.size,
      inFlight: lane.calls > 0,
      attempt: lane.attempt,
      nextAttemptAtMs: lane.cancelTimer ? lane.nextAttemptAtMs : undefined,
      lastSuccessAtMs: lane.lastSuccessAtMs,
      lastError: lane.lastError,
    }));
  }

  /** Starts delivery to `peer` now, unless an attempt is already scheduled (or backing off) or every call slot is taken. */
  kick(peer: SiteId): void {
    const lane = this.lane(peer);
    if (this.stopped || lane.cancelTimer || lane.calls >= this.deps.maxCalls || !this.hasUnsent(lane)) return;
    this.schedule(lane, 0);
  }

  /**
   * The peer is reachable again: deliver now instead of waiting out the backoff a run of failed
   * calls built up (calls in flight are left alone; if this one fails, backoff starts over).
   */
  retryNow(peer: SiteId): void {
    const lane = this.lanes.get(peer);
    if (!lane || this.stopped || !this.hasUnsent(lane)) return;
    lane.cancelTimer?.();
    lane.cancelTimer = undefined;
    lane.attempt = 0;
    this.schedule(lane, 0);
  }

  kickAll(): void {
    for (const peer of this.lanes.keys()) this.kick(peer);
  }

  stop(): void {
    this.stopped = true;
    for (const lane of this.lanes.values()) {
      lane.cancelTimer?.();
      lane.cancelTimer = undefined;
    }
  }

  private lane(peer: SiteId): Lane {
    let lane = this.lanes.get(peer);
    if (!lane) {
      lane = {
        peer,
        entries: new Map(),
        sending: new Set(),
        calls: 0,
        cancelTimer: undefined,
        attempt: 0,
        nextAttemptAtMs: undefined,
        lastSuccessAtMs: undefined,
        lastError: undefined,
      };
      this.lanes.set(peer, lane);
    }
    return lane;
  }

  private schedule(lane: Lane, delayMs: number): void {
    lane.nextAttemptAtMs = this.deps.clock.nowMs() + delayMs;
    lane.cancelTimer = this.deps.timers.set(
      delayMs,
      this.deps.guard(() => {
        lane.cancelTimer = undefined;
        this.deliver(lane);
      }),
    );
  }

  private hasUnsent(lane: Lane): boolean {
    for (const entry of lane.entries.values()) if (!lane.sending.has(entry.msg.msgId)) return true;
    return false;
  }

  private deliver(lane: Lane): void {
    if (this.stopped || lane.calls >= this.deps.maxCalls) return;
    const batch: OutboxEntry[] = [];
    for (const entry of lane.entries.values()) {
      if (batch.length >= this.deps.batchSize) break;
      if (!lane.sending.has(entry.msg.msgId)) batch.push(entry);
    }
    if (batch.length === 0) return;
    lane.calls += 1;
    for (const entry of batch) lane.sending.add(entry.msg.msgId);
    let called = false;
    this.deps.dispatch(lane.peer, batch, (outcome) => {
      if (called) return;
      called = true;
      this.settle(lane, batch, outcome);
    });
    // A backlog longer than one batch goes out in parallel calls, up to the limit.
    if (!this.stopped && !lane.cancelTimer && lane.calls < this.deps.maxCalls && this.hasUnsent(lane)) this.schedule(lane, 0);
  }

  private settle(lane: Lane, batch: readonly OutboxEntry[], outcome: DispatchOutcome): void {
    lane.calls -= 1;
    for (const entry of batch) lane.sending.delete(entry.msg.msgId);
    if (this.stopped) return;
    // A message is answered when its slot no longer holds it (the reply removed it).
    const unanswered = batch.some((e) => lane.entries.get(e.key)?.msg.msgId === e.msg.msgId);
    if (outcome.ok && !unanswered) {
      lane.attempt = 0;
      lane.lastError = undefined;
      lane.lastSuccessAtMs = this.deps.clock.nowMs();
      // The peer answers: whatever waits (even behind another call's backoff) goes now.
      if (this.hasUnsent(lane)) {
        lane.cancelTimer?.();
        lane.cancelTimer = undefined;
        this.schedule(lane, 0);
      }
      return;
    }
    lane.attempt += 1;
    lane.lastError = outcome.ok ? "some messages were not answered" : outcome.error;
    if (lane.cancelTimer) return; // an attempt is already scheduled
    const delayMs = retryDelayMs(lane.attempt, {
      baseMs: this.deps.retryBaseDelayMs,
      maxMs: this.deps.retryMaxDelayMs,
      random01: this.deps.random.next(),
    });
    this.schedule(lane, delayMs);
  }
}
