import type { Logger } from "@/lib/site/logger";
import type { TwoPcNode } from "@/lib/twopc/node";
import type { SqliteTx } from "@/lib/store/sqlite-store";
import type Database from "better-sqlite3";
import { changeKinds } from "./changes";
import { repoOf } from "./repo";
import { readRoundFacts, roundStep } from "./round-step";

const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 10_000;
/** How long one decide attempt may wait for its outcome before the decider looks again. */
const ATTEMPT_WAIT_MS = 60_000;

/**
 * At an event's home site: decides each open round when a reject is known, every contributor
 * has accepted, or the deadline has passed — by running the decide-round transaction, retried
 * (with a new transaction id, bounded backoff) until it commits. Deadlines are persisted in the
 * Round table, so a restarted home site picks its rounds up again in `start()`.
 */
export class RoundDecider {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly deciding = new Set<string>();
  private stopped = false;

  constructor(
    private readonly options: {
      siteId: string;
      db: Database.Database;
      engine: Pick<TwoPcNode<SqliteTx>, "begin" | "waitForOutcome">;
      logger: Logger;
      nowMs?: () => number;
      /** Backoff between decide attempts that ended without a commit (tests shorten it). */
      retryBaseMs?: number;
      retryMaxMs?: number;
    },
  ) {}

  private get retryBaseMs(): number {
    return this.options.retryBaseMs ?? RETRY_BASE_MS;
  }

  private get retryMaxMs(): number {
    return this.options.retryMaxMs ?? RETRY_MAX_MS;
  }

  private now(): number {
    return (this.options.nowMs ?? Date.now)();
  }

  start(): void {
    for (const round of repoOf(this.options.db).openRoundsAtHome(this.options.siteId)) this.consider(round.eventId);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Looks at the event's open round (if this is its home) and decides it or waits for its deadline. */
  consider(eventId: string): void {
    if (this.stopped) return;
    const repo = repoOf(this.options.db);
    const event = repo.event(eventId);
    if (!event || event.homeSite !== this.options.siteId) return;
    const facts = readRoundFacts(repo, { eventId, nowMs: this.now() });
    const round = facts.round;
    if (!round) return;
    const key = `${eventId}@${round.version}`;
    if (this.deciding.has(key)) return;
    const step = roundStep(facts);
    if (step.kind === "idle") return;
    if (step.kind === "wait") {
      this.wakeAt(eventId, step.untilMs);
      return;
    }
    this.deciding.add(key);
    void this.decide(eventId, round.version).finally(() => this.deciding.delete(key));
  }

  private wakeAt(eventId: string, atMs: number): void {
    clearTimeout(this.timers.get(eventId));
    const timer = setTimeout(() => {
      this.timers.delete(eventId);
      this.consider(eventId);
    }, Math.max(0, atMs - this.now()) + 5);
    timer.unref();
    this.timers.set(eventId, timer);
  }

  /**
   * Each attempt reads the round afresh: the contributors are counted from this site's photos,
   * so only once it holds every photo of the version (it may still be applying the last one),
   * and whether to decide at all is asked again with them.
   */
  private async decide(eventId: string, version: number): Promise<void> {
    const { engine, logger } = this.options;
    /** The decide transaction still undecided: followed until it ends, never raced by a new one. */
    let pendingTxId: string | undefined;
    for (let attempt = 0; !this.stopped; ) {
      if (pendingTxId !== undefined) {
        // A site is down or slow: this transaction holds the event prepared at the others, so a
        // new one would only abort as busy there. Wait for this one (it ends by its timeout).
        const outcome = await engine.waitForOutcome(pendingTxId, ATTEMPT_WAIT_MS);
        if (outcome.state === "pending") continue;
        logger.info({ txId: pendingTxId, eventId, version, state: outcome.state, code: outcome.code }, "decide round");
        pendingTxId = undefined;
        if (outcome.state === "committed") return;
      } else {
        const step = roundStep(readRoundFacts(repoOf(this.options.db), { eventId, version, nowMs: this.now() }));
        if (step.kind === "idle") return;
        if (step.kind === "wait") {
          this.wakeAt(eventId, step.untilMs);
          return;
        }
        // "retry": this site does not hold every photo of the version yet; look again after a pause.
        if (step.kind === "decide") {
          try {
            const txId = engine.begin({ key: eventId, kind: changeKinds.decideRound, data: step.data });
            const outcome = await engine.waitForOutcome(txId, ATTEMPT_WAIT_MS);
            if (outcome.state === "pending") {
              pendingTxId = txId;
              continue;
            }
            logger.info({ txId, eventId, version, state: outcome.state, code: outcome.code }, "decide round");
            if (outcome.state === "committed") return;
          } catch (error) {
            logger.warn({ eventId, err: error }, "decide round could not start");
          }
        }
      }
      const delayMs = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** attempt++) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    }
  }
}
