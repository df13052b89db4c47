import { retryDelayMs } from "@/lib/twopc/backoff";
import type { Clock, Random, Timers } from "@/lib/twopc/ports/clock";
import type { Outcome } from "@/lib/twopc/outcome";
import type { Change, TxId } from "@/lib/twopc/types";
import { changeKinds } from "./changes";
import type { ProductStore, RoundKey, RoundRow } from "./ports/product-store";
import { readRoundFacts, roundKeyText, roundStep, windowRemainingMs } from "./round-step";

const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 10_000;
/** How long one decide attempt may wait for its outcome before the decider looks again. */
const ATTEMPT_WAIT_MS = 60_000;

/** What the decider needs of the 2PC engine: start a transaction here, and follow it. */
export type DeciderEngine = {
  begin(change: Change): TxId;
  waitForOutcome(txId: TxId, timeoutMs: number): Promise<Outcome>;
};

export type DeciderLog = { info(fields: object, message: string): void; warn(fields: object, message: string): void };

/**
 * At an event's home site: decides each open round when a reject is known, every contributor
 * has accepted, or its window has run out — by running the decide-round transaction for that
 * round, retried (with a new transaction id, bounded backoff) until it commits. The window is
 * timed here alone, on the monotonic clock, from the round's durable deadline (round-step.ts,
 * windowRemainingMs); a restarted home site picks its rounds up again in `start()`.
 *
 * Everything it touches is a port (committed store, engine, clock, timers, randomness), so the
 * simulator runs this very class on simulated time.
 */
export class RoundDecider {
  private readonly wakeups = new Map<string, () => void>();
  private readonly deciding = new Set<string>();
  /** Per open round (roundKeyText): when this process started timing it (monotonic) and what was left then. */
  private readonly windows = new Map<string, { startedMonoMs: number; remainingMs: number }>();
  private stopped = false;

  constructor(
    private readonly options: {
      siteId: string;
      /** The committed product state at this site, read afresh at every look. */
      store: () => ProductStore;
      engine: DeciderEngine;
      /** The wall clock: read once per round to resume timing it from its durable deadline, and stamped on decisions. */
      clock: Clock;
      /** A clock that only moves forward at the rate of time (performance.now()): the window is measured on it. */
      monotonic: Clock;
      /** How long a ballot window stays open. */
      ballotWindowMs: number;
      timers: Timers;
      random: Pick<Random, "next">;
      log: DeciderLog;
      /** Test-only seam: the round step (the simulator plants timing bugs through it). */
      step?: typeof roundStep;
      /** Backoff between decide attempts that ended without a commit (tests shorten it). */
      retryBaseMs?: number;
      retryMaxMs?: number;
    },
  ) {}

  start(): void {
    for (const round of this.options.store().openRoundsAtHome(this.options.siteId)) this.consider(round.eventId);
  }

  stop(): void {
    this.stopped = true;
    for (const cancel of this.wakeups.values()) cancel();
    this.wakeups.clear();
  }

  /** Looks at the event's open round (if this is its home) and decides it or waits for its window to end. */
  consider(eventId: string): void {
    if (this.stopped) return;
    const store = this.options.store();
    if (store.event(eventId)?.homeSite !== this.options.siteId) return;
    const facts = this.facts(store, eventId);
    const round = facts.round;
    if (!round) return;
    const key = roundKeyText(round);
    if (this.deciding.has(key)) return;
    const step = this.step(facts);
    if (step.kind === "idle") return this.forget(round);
    if (step.kind === "wait") return this.wakeIn(eventId, step.inMs);
    this.deciding.add(key);
    void this.decide(round).finally(() => this.deciding.delete(key));
  }

  private facts(store: ProductStore, eventId: string, key?: RoundKey) {
    return readRoundFacts(store, { eventId, key, nowMs: this.options.clock.nowMs(), remainingMs: (round) => this.remainingMs(round) });
  }

  /** What is left of the round's window, measured here on the monotonic clock (round-step.ts). */
  private remainingMs(round: RoundRow): number {
    const key = roundKeyText(round);
    const nowMono = this.options.monotonic.nowMs();
    let window = this.windows.get(key);
    if (!window) {
      const remainingMs = windowRemainingMs({ deadlineMs: round.deadlineMs, wallNowMs: this.options.clock.nowMs(), windowMs: this.options.ballotWindowMs });
      window = { startedMonoMs: nowMono, remainingMs };
      this.windows.set(key, window);
    }
    return Math.max(0, window.remainingMs - (nowMono - window.startedMonoMs));
  }

  private forget(key: RoundKey): void {
    this.windows.delete(roundKeyText(key));
  }

  private step(facts: Parameters<typeof roundStep>[0]) {
    return (this.options.step ?? roundStep)(facts);
  }

  private wakeIn(eventId: string, inMs: number): void {
    this.wakeups.get(eventId)?.();
    const cancel = this.options.timers.set(Math.max(0, inMs) + 5, () => {
      this.wakeups.delete(eventId);
      this.consider(eventId);
    });
    this.wakeups.set(eventId, cancel);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => this.options.timers.set(ms, resolve));
  }

  /**
   * Each attempt reads the round afresh: the contributors are counted from this site's photos,
   * so only once it holds every photo of the version (it may still be applying the last one),
   * and whether to decide at all is asked again with them.
   */
  private async decide(key: RoundKey): Promise<void> {
    const { engine, log } = this.options;
    const { eventId, version, round } = key;
    /** The decide transaction still undecided: followed until it ends, never raced by a new one. */
    let pendingTxId: string | undefined;
    for (let attempt = 0; !this.stopped; ) {
      if (pendingTxId !== undefined) {
        // A site is down or slow: this transaction holds the event prepared at the others, so a
        // new one would only abort as busy there. Wait for this one (it ends by its timeout).
        const outcome = await engine.waitForOutcome(pendingTxId, ATTEMPT_WAIT_MS);
        if (outcome.state === "pending") continue;
        log.info({ txId: pendingTxId, eventId, version, round, state: outcome.state, code: outcome.code }, "decide round");
        pendingTxId = undefined;
        if (outcome.state === "committed") return this.forget(key);
      } else {
        const step = this.step(this.facts(this.options.store(), eventId, key));
        if (step.kind === "idle") return this.forget(key);
        if (step.kind === "wait") return this.wakeIn(eventId, step.inMs);
        // "retry": this site does not hold every photo of the version yet; look again after a pause.
        if (step.kind === "decide") {
          try {
            const txId = engine.begin({ key: eventId, kind: changeKinds.decideRound, data: step.data });
            const outcome = await engine.waitForOutcome(txId, ATTEMPT_WAIT_MS);
            if (outcome.state === "pending") {
              pendingTxId = txId;
              continue;
            }
            log.info({ txId, eventId, version, round, state: outcome.state, code: outcome.code }, "decide round");
            if (outcome.state === "committed") return this.forget(key);
          } catch (error) {
            log.warn({ eventId, err: error }, "decide round could not start");
          }
        }
      }
      const baseMs = this.options.retryBaseMs ?? RETRY_BASE_MS;
      const maxMs = this.options.retryMaxMs ?? RETRY_MAX_MS;
      await this.pause(retryDelayMs(++attempt, { baseMs, maxMs, random01: this.options.random.next() }));
    }
  }
}
