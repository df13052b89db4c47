// The runtime of one site: owns the core state and applies its effects in the safe order.
// Inside ONE synchronous store transaction: domain check, core step, log records, outbox rows, inbox
// receipt, domain effects. Only after that transaction is durable does anything leave the site.
// The same class runs in production and in the simulator; only the ports differ.
import { resolveConfig, type TwoPcConfig } from "./config";
import { coordinatorStep, initialCoordinatorState, type CoordinatorState } from "./coordinator";
import { timerKey, type TimerRef } from "./effects";
import { invariant, TwoPcError } from "./errors";
import { loggedDecision } from "./history";
import type { LogRecordKind } from "./log-records";
import type { Draft, Message } from "./messages";
import { outcomeAtParticipant, outcomeOfDecided, outcomeOfLive, type Outcome } from "./outcome";
import { Outbox, type DispatchOutcome, type OutboxEntry, type PeerBacklog } from "./outbox";
import { initialParticipantState, participantStep, type ParticipantState } from "./participant";
import type { Clock, Random, Timers } from "./ports/clock";
import type { DomainPort } from "./ports/domain";
import { inertFailpoints, type Failpoints } from "./ports/failpoints";
import type { QuarantineRow, Store, StoreTx, TransactOptions } from "./ports/store";
import type { Transport } from "./ports/transport";
import { assertObligations } from "./invariants";
import { stepReply, stepRequest } from "./routing";
import { StepBatch, type CoordinatorStepFn, type DecisionEvent, type ParticipantStepFn } from "./step-batch";
import type { Change, Json, SiteId, TxId } from "./types";

/**
 * Test-only seams for planting bugs (see sim/planted-bugs.ts). Production configuration never sets
 * them: they are not read from the environment and have no defaults that change behaviour.
 */
export interface TestOnlySeams {
  coordinatorStep?: CoordinatorStepFn;
  participantStep?: ParticipantStepFn;
  /** Record kinds appended in a later transaction, after what depends on them has left. */
  writeBehind?: ReadonlySet<LogRecordKind>;
  /** Requests from peers handled in unforced transactions (replies sent before they are fsynced). */
  unforcedRequests?: boolean;
}

export interface TwoPcNodeOptions<Tx extends StoreTx> {
  self: SiteId;
  /** Every site, this one included: the default participants of a txn. */
  sites: readonly SiteId[];
  store: Store<Tx>;
  transport: Transport;
  domain: DomainPort<Tx>;
  clock: Clock;
  timers: Timers;
  random: Random;
  failpoints?: Failpoints;
  config?: Partial<TwoPcConfig>;
  /** Called once when the node hits an unexpected error and stops (fail-stop). Default: crash the process. */
  onFatal?: (error: unknown) => void;
  /** Called after an inbound message (a request or a reply) was quarantined (its step threw; see "Poison messages" in docs/PROTOCOL.md). */
  onQuarantine?: (row: QuarantineRow) => void;
  testOnlySeams?: TestOnlySeams;
}

export interface BeginOptions {
  participants?: readonly SiteId[];
  /** Content hashes the transport makes available at each participant before the PREPARE. */
  blobs?: readonly string[];
}

export interface NodeStatus {
  self: SiteId;
  running: boolean;
  peers: PeerBacklog[];
  /** Prepared here, decision not yet known. */
  inDoubt: { txId: TxId; coordinator: SiteId; key: string }[];
  /** Coordinated here and not ended: collecting votes, or decided and waiting for ACKs. */
  coordinating: { txId: TxId; phase: "collecting" | "decided"; waitingFor: SiteId[] }[];
  /** Poison messages kept here (at most `quarantineKeepRows`), most recently seen first. */
  quarantined: QuarantineRow[];
}

/** What a step body threw, kept apart from what the store itself threw (a disk error is never a poison message). */
type StepAttempt<Tx extends StoreTx, T> = { ok: true; batch: StepBatch<Tx>; value: T } | { ok: false; error: unknown };

/** How much of a poison message's error is kept. */
const QUARANTINE_ERROR_CHARS = 500;

/** Delay of the deferred append in the write-behind seam (a "group commit" that is not there). */
const WRITE_BEHIND_DELAY_MS = 10;
/** Extra time the runtime gives a transport call beyond its own timeout before giving up on it. */
const CALL_GUARD_GRACE_MS = 1_000;
/** Inbound batches between two prunings of old receipts. */
const RECEIPT_PRUNE_EVERY_BATCHES = 1_000;

function crashProcess(error: unknown): void {
  setTimeout(() => {
    throw error instanceof Error ? error : new Error(String(error));
  }, 0);
}

export class TwoPcNode<Tx extends StoreTx> {
  readonly self: SiteId;
  private readonly options: TwoPcNodeOptions<Tx>;
  private readonly config: TwoPcConfig;
  private readonly failpoints: Failpoints;
  private readonly outbox: Outbox;
  private readonly coreTimers = new Map<string, () => void>();
  private readonly listeners = new Set<(event: DecisionEvent) => void>();
  private readonly blobsByTx = new Map<TxId, readonly string[]>();
  private coordinatorState: CoordinatorState;
  private participantState: ParticipantState;
  private started = false;
  private running = false;
  private failed = false;
  private inboundBatches = 0;
  /** The step whose store transaction is open right now, if any (sendApp from a domain effect). */
  private currentBatch: StepBatch<Tx> | undefined;
  /** What a failpoint threw last: unwinding a simulated crash, never a poison message. */
  private failpointError: unknown;
  private quarantined: QuarantineRow[] = [];
  /** Inbound calls waiting for the next group commit (handleSoon). */
  private waitingCalls: { from: SiteId; messages: readonly Message[]; resolve: (replies: Message[]) => void; reject: (error: unknown) => void }[] = [];

  constructor(options: TwoPcNodeOptions<Tx>) {
    invariant(options.sites.includes(options.self), `site ${options.self} is not in sites`);
    this.options = options;
    this.self = options.self;
    this.config = resolveConfig(options.config);
    const failpoints = options.failpoints ?? inertFailpoints;
    this.failpoints = {
      hit: (name) => {
        try {
          failpoints.hit(name);
        } catch (error) {
          this.failpointError = error;
          throw error;
        }
      },
    };
    this.coordinatorState = initialCoordinatorState(options.self);
    this.participantState = initialParticipantState(options.self);
    this.outbox = new Outbox({
      clock: options.clock,
      timers: options.timers,
      random: options.random,
      batchSize: this.config.batchSize,
      maxCalls: this.config.maxCallsPerPeer,
      retryBaseDelayMs: this.config.retryBaseDelayMs,
      retryMaxDelayMs: this.config.retryMaxDelayMs,
      dispatch: (peer, batch, done) => this.dispatch(peer, batch, done),
      guard: (fn) => this.guard(fn),
    });
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Recovery: replays the log, re-sends unacked decisions, schedules inquiries, resumes the outbox. */
  start(): void {
    invariant(!this.started, "start() called twice");
    const { records, rows, quarantined } = this.options.store.transact((tx) => ({
      records: tx.readUnsettledLog(),
      rows: tx.readOutbox(),
      quarantined: tx.readQuarantine(),
    }));
    this.quarantined = [...quarantined];
    this.started = true;
    this.running = true;
    for (const row of rows) this.outbox.apply({ op: "put", entry: { ...row, durable: true } });
    const nowMs = this.options.clock.nowMs();
    this.runBatch((b) => {
      b.coordinator({ type: "recovered", records });
      b.participant({ type: "recovered", records, nowMs });
      b.tx.pruneReceipts(nowMs - this.config.receiptTtlMs, this.config.maxReceipts);
    });
    this.outbox.kickAll();
  }

  /** Stops timers and delivery; durable state stays for the next start(). */
  stop(): void {
    this.running = false;
    this.outbox.stop();
    for (const cancel of this.coreTimers.values()) cancel();
    this.coreTimers.clear();
  }

  // ---- product API -----------------------------------------------------------------------

  /** Starts a txn coordinated here; every site is a participant unless told otherwise. */
  begin(change: Change, options: BeginOptions = {}): TxId {
    this.assertRunning();
    const participants = options.participants ?? this.options.sites;
    for (const peer of participants) {
      if (this.outbox.backlog(peer) >= this.config.maxBacklogPerPeer) {
        throw new TwoPcError("overloaded", `backlog to ${peer} is full; nothing was started`, { definite: true });
      }
    }
    const txId = `${this.self}.${this.options.random.uuid()}`;
    if (options.blobs && options.blobs.length > 0) this.blobsByTx.set(txId, options.blobs);
    const nowMs = this.options.clock.nowMs();
    this.runBatch((b) => b.coordinator({ type: "begin", txId, change, participants: [...participants], nowMs }));
    return txId;
  }

  /** The outcome as this site knows it. At the coordinator, an unknown txn minted here is fenced: aborted, durably. */
  outcome(txId: TxId): Outcome {
    const live = this.coordinatorState.txns.get(txId);
    if (live) return outcomeOfLive(live);
    const history = this.options.store.transact((tx) => tx.logFor(txId));
    const decided = loggedDecision(history);
    if (decided) return outcomeOfDecided(decided);
    if (!this.isMintedHere(txId)) return outcomeAtParticipant(txId, history);
    if (!this.running) return { txId, state: "pending", reason: "site not running", view: "coordinator", sites: {} };
    // Not live and no decision: a restart forgot it before deciding. Presume abort, durably, so the
    // answer given now can never be contradicted.
    this.runBatch((b) => b.coordinator({ type: "fence", txId, history: b.tx.logFor(txId) }));
    return { txId, state: "aborted", code: "presumed_abort", reason: "presumed abort", view: "coordinator", sites: {} };
  }

  /** Resolves as soon as the txn is decided here, or after `timeoutMs` with the (pending) outcome. */
  waitForOutcome(txId: TxId, timeoutMs: number): Promise<Outcome> {
    const now = this.outcome(txId);
    if (now.state !== "pending" || !this.running) return Promise.resolve(now);
    return new Promise((resolve) => {
      const cancelTimer = this.options.timers.set(timeoutMs, () => {
        unsubscribe();
        resolve(this.outcome(txId));
      });
      const unsubscribe = this.onDecision((event) => {
        if (event.txId !== txId || event.role !== "coordinator") return;
        unsubscribe();
        cancelTimer();
        resolve(this.outcome(txId));
      });
    });
  }

  /** Live updates: called after each decision here is durable (as coordinator or participant). */
  onDecision(listener: (event: DecisionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs the caller's own store transaction (a domain write outside the protocol, e.g. casting a
   * ballot) as a step of this node: APP messages it enqueues with `sendApp` go out through the
   * outbox as soon as it is durable, like those of any other step. If `fn` throws, nothing it
   * wrote is kept and the error propagates.
   */
  transact<T>(fn: (tx: Tx) => T): T {
    this.assertRunning();
    return this.runBatch((b) => fn(b.tx));
  }

  /**
   * Enqueues a durable APP message inside a step's store transaction (a domain effect, or the
   * function given to `transact`): at-least-once, no 2PC, sent once that transaction is durable.
   * A newer message with the same `key` to the same peer replaces an undelivered older one.
   */
  sendApp(tx: Tx, to: SiteId, key: string, payload: Json, options: { blobs?: readonly string[] } = {}): void {
    const batch = this.currentBatch;
    // Outside a step nobody would tell the in-memory outbox: the row would wait for a restart.
    invariant(batch !== undefined && batch.tx === tx, "sendApp outside a step of this node: use node.transact");
    const msg = this.envelope({ type: "APP", txId: `app.${this.options.random.uuid()}`, key, payload });
    if (options.blobs && options.blobs.length > 0) msg.blobs = [...options.blobs];
    const entry = { peer: to, key: `app:${key}`, msg, durable: true };
    tx.upsertOutbox(entry);
    batch.enqueue(entry);
  }

  /** Tells the runtime that `peer` answers again (heartbeat, or a call from it): its backlog goes out now. */
  peerReachable(peer: SiteId): void {
    if (this.running && peer !== this.self) this.outbox.retryNow(peer);
  }

  status(): NodeStatus {
    return {
      self: this.self,
      running: this.running,
      peers: this.outbox.status(),
      inDoubt: [...this.participantState.prepared.values()].map((t) => ({
        txId: t.txId,
        coordinator: t.coordinator,
        key: t.change.key,
      })),
      coordinating: [...this.coordinatorState.txns.values()].map((t) => ({
        txId: t.txId,
        phase: t.phase,
        waitingFor: t.participants.filter((p) => (t.phase === "collecting" ? !t.votes.has(p) : !t.acks.has(p))),
      })),
      quarantined: [...this.quarantined],
    };
  }

  // ---- inbound ---------------------------------------------------------------------------

  /**
   * Handles one inbound transport call (already parsed and authenticated as coming from `from`).
   * Returns the replies, which are durable facts by then; a duplicate gets the stored reply.
   */
  handle(from: SiteId, messages: readonly Message[]): Message[] {
    return this.handleCalls([{ from, messages }])[0] ?? [];
  }

  /**
   * The same as `handle`, for calls that may wait a moment: every call that arrives before the
   * next turn of the event loop is handled in ONE store transaction (group commit: one fsync
   * for all of them), and each gets its own replies once that transaction is durable.
   */
  handleSoon(from: SiteId, messages: readonly Message[]): Promise<Message[]> {
    return new Promise((resolve, reject) => {
      this.waitingCalls.push({ from, messages, resolve, reject });
      if (this.waitingCalls.length > 1) return;
      this.options.timers.set(0, () => {
        const calls = this.waitingCalls;
        this.waitingCalls = [];
        try {
          const replies = this.handleCalls(calls);
          calls.forEach((call, i) => call.resolve(replies[i] ?? []));
        } catch (error) {
          for (const call of calls) call.reject(error);
        }
      });
    });
  }

  private handleCalls(calls: readonly { from: SiteId; messages: readonly Message[] }[]): Message[][] {
    if (!this.running) return calls.map(() => []); // no reply: the senders retry later
    try {
      return this.handleBatch(calls);
    } catch (error) {
      this.fail(error);
      throw error;
    }
  }

  private handleBatch(calls: readonly { from: SiteId; messages: readonly Message[] }[]): Message[][] {
    const nowMs = this.options.clock.nowMs();
    const durable = this.options.testOnlySeams?.unforcedRequests !== true;
    const attempt = this.tryStep((b) => {
      const handled = calls.map(({ from, messages }) => this.handleRequests(b, from, messages, nowMs));
      this.inboundBatches += 1;
      if (this.inboundBatches % RECEIPT_PRUNE_EVERY_BATCHES === 0) b.tx.pruneReceipts(nowMs - this.config.receiptTtlMs, this.config.maxReceipts);
      return handled;
    }, { durable });
    if (attempt.ok) {
      this.afterDurable(attempt.batch);
      this.afterReplies(attempt.value);
      return attempt.value.map((h) => h.replies);
    }
    // A step threw and the whole group commit rolled back. Handle the messages one at a time to
    // find the poison one(s): the others go through, each poison message is quarantined.
    return calls.map(({ from, messages }) => messages.flatMap((msg) => this.handleAlone(from, msg, nowMs, durable)));
  }

  /** One request in its own transaction; if its step throws, it is quarantined instead. */
  private handleAlone(from: SiteId, msg: Message, nowMs: number, durable: boolean): Message[] {
    const attempt = this.tryStep((b) => this.handleRequests(b, from, [msg], nowMs), { durable });
    if (attempt.ok) {
      this.afterDurable(attempt.batch);
      this.afterReplies([attempt.value]);
      return attempt.value.replies;
    }
    return this.quarantine(from, msg, attempt.error, nowMs);
  }

  /** The requests of one call, inside a step: a duplicate gets its stored reply, anything else its step. */
  private handleRequests(b: StepBatch<Tx>, from: SiteId, messages: readonly Message[], nowMs: number): { replies: Message[]; votedYes: boolean } {
    const replies: Message[] = [];
    let votedYes = false;
    for (const msg of messages) {
      if (msg.from !== from || msg.re !== undefined) continue; // not a request from this peer
      const stored = b.tx.getReceipt(from, msg.msgId);
      if (stored) {
        replies.push(stored);
        continue;
      }
      const reply = stepRequest(b, { from, msg, nowMs, domain: this.options.domain, envelope: (d, re) => this.envelope(d, re) });
      if (!reply) continue;
      // An INQUIRY changes nothing worth replaying (fencing is idempotent) and its answer may
      // improve (pending, then decided): it is answered afresh every time.
      if (msg.type !== "INQUIRY") b.tx.putReceipt(from, msg.msgId, reply, nowMs);
      replies.push(reply);
      if (reply.type === "VOTE" && reply.vote === "yes") votedYes = true;
    }
    return { replies, votedYes };
  }

  private afterReplies(handled: readonly { votedYes: boolean }[]): void {
    if (!handled.some((h) => h.votedYes)) return;
    this.options.timers.set(
      this.config.afterReplyFailpointDelayMs,
      this.guard(() => this.failpoints.hit("participant.after-reply")),
    );
  }

  /**
   * A poison message: its step threw (a broken invariant, a domain that cannot apply it), so
   * handling it again would only throw again — after every restart too. Record it durably
   * (bounded), answer it when an answer is safe, and keep the site up:
   * - PREPARE: NO (`quarantined`), stored as its receipt; a NO promises nothing.
   * - INQUIRY: STATUS pending; the in-doubt participant asks again later (backing off).
   * - APP: APP_ACK, stored as its receipt; the notice is dropped (kept here for an operator).
   * - DECISION: no answer. An ACK would say the decision is applied here, and it is not: the
   *   coordinator keeps it and retries it with backoff, so a fixed build applies it.
   * - A reply (VOTE, ACK, STATUS, a DECISION answering an INQUIRY): no answer, and the message
   *   it answered stays queued (`onReplies`), so nothing is taken as heard that was not handled.
   */
  private quarantine(from: SiteId, msg: Message, error: unknown, nowMs: number): Message[] {
    const text = (error instanceof Error ? error.message : String(error)).slice(0, QUARANTINE_ERROR_CHARS);
    const draft = quarantineReply(msg);
    const reply = draft ? this.envelope(draft, msg.msgId) : undefined;
    const row = this.runBatch((b) => {
      b.tx.quarantine({ from, msg, error: text, atMs: nowMs }, this.config.quarantineKeepRows);
      if (reply && msg.type !== "INQUIRY") b.tx.putReceipt(from, msg.msgId, reply, nowMs);
      return b.tx.readQuarantine().find((q) => q.from === from && q.msgId === msg.msgId);
    });
    if (row) {
      this.quarantined = [row, ...this.quarantined.filter((q) => q.from !== from || q.msgId !== msg.msgId)].slice(0, this.config.quarantineKeepRows);
      try {
        this.options.onQuarantine?.(row);
      } catch (listenerError) {
        console.error("twopc quarantine listener failed", listenerError);
      }
    }
    return reply ? [reply] : [];
  }

  // ---- outbound --------------------------------------------------------------------------

  private dispatch(peer: SiteId, batch: readonly OutboxEntry[], done: (outcome: DispatchOutcome) => void): void {
    if (peer === this.self) {
      // Local delivery: the same participant/coordinator code path, no network.
      const replies = this.handle(this.self, batch.map((e) => e.msg));
      this.onReplies(peer, batch, replies);
      done({ ok: true });
      return;
    }
    let settled = false;
    const cancelGuard = this.options.timers.set(
      this.config.callTimeoutMs + CALL_GUARD_GRACE_MS,
      this.guard(() => {
        if (settled) return;
        settled = true;
        done({ ok: false, error: "call did not settle in time" });
      }),
    );
    let call: Promise<readonly Message[]>;
    try {
      call = this.options.transport.send({ to: peer, messages: batch.map((e) => e.msg), timeoutMs: this.config.callTimeoutMs });
    } catch (error) {
      call = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    void call.then(
      (replies) =>
        this.guard(() => {
          if (settled) return;
          settled = true;
          cancelGuard();
          this.onReplies(peer, batch, replies);
          done({ ok: true });
        })(),
      (error: unknown) =>
        this.guard(() => {
          if (settled) return;
          settled = true;
          cancelGuard();
          done({ ok: false, error: error instanceof Error ? error.message : String(error) });
        })(),
    );
    if (batch.some((e) => e.msg.type === "DECISION" && e.msg.re === undefined)) {
      this.failpoints.hit("coordinator.after-send-some-decisions");
    }
  }

  /**
   * Replies to one batch: each answered message leaves the outbox in the same transaction as its
   * effect. A reply whose step throws is poison like a request (see `quarantine`): the batch is
   * rolled back and its replies handled one per transaction; the poison one is quarantined and
   * the message it answered stays in the outbox (retried under backoff, each stored reply
   * quarantined again, until a build that can handle it does).
   */
  private onReplies(peer: SiteId, batch: readonly OutboxEntry[], replies: readonly Message[]): void {
    if (replies.length === 0) return;
    const sent = new Map(batch.map((e) => [e.msg.msgId, e]));
    const answered: { reply: Message; entry: OutboxEntry }[] = [];
    for (const reply of replies) {
      const entry = reply.re === undefined ? undefined : sent.get(reply.re);
      if (!entry || reply.from !== peer || reply.txId !== entry.msg.txId) continue;
      sent.delete(entry.msg.msgId);
      answered.push({ reply, entry });
    }
    if (answered.length === 0) return;
    const nowMs = this.options.clock.nowMs();
    // ACKs only clear delivered DECISIONs and may end txns: losing that to a power failure costs
    // a re-sent DECISION, which participants answer again, so it is not worth an fsync.
    const durable = !answered.every((a) => a.reply.type === "ACK");
    const step = (b: StepBatch<Tx>, items: typeof answered) => {
      for (const { reply, entry } of items) {
        b.delivered(peer, entry.key, entry.msg, entry.durable);
        stepReply(b, peer, reply, nowMs);
      }
    };
    const attempt = this.tryStep((b) => step(b, answered), { durable });
    if (attempt.ok) return this.afterDurable(attempt.batch);
    for (const item of answered) {
      const alone = this.tryStep((b) => step(b, [item]), { durable });
      if (alone.ok) this.afterDurable(alone.batch);
      else this.quarantine(peer, item.reply, alone.error, nowMs);
    }
  }

  // ---- applying effects ------------------------------------------------------------------

  /** Runs core steps in one store transaction, then (only once it is committed) lets their effects out. */
  private runBatch<T>(body: (b: StepBatch<Tx>) => T, options: TransactOptions = {}): T {
    const attempt = this.tryStep(body, options);
    if (!attempt.ok) throw attempt.error;
    this.afterDurable(attempt.batch);
    return attempt.value;
  }

  /**
   * The store transaction of a step, nothing after it. An exception thrown by the step itself comes
   * back as `{ ok: false }` (nothing of it was kept); one thrown by the store (a disk error) or by
   * a failpoint (a simulated crash unwinding) propagates: those are never the message's fault.
   */
  private tryStep<T>(body: (b: StepBatch<Tx>) => T, options: TransactOptions): StepAttempt<Tx, T> {
    let batch: StepBatch<Tx> | undefined;
    let stepError: { error: unknown } | undefined;
    let value: T;
    this.failpointError = undefined;
    try {
      value = this.options.store.transact((tx) => {
        batch = new StepBatch(tx, this.coordinatorState, this.participantState, this.batchDeps());
        this.currentBatch = batch;
        try {
          return body(batch);
        } catch (error) {
          if (error !== this.failpointError) stepError = { error };
          throw error;
        }
      }, options);
    } catch (error) {
      if (stepError && stepError.error === error) return { ok: false, error };
      throw error;
    } finally {
      this.currentBatch = undefined;
    }
    invariant(batch !== undefined, "store.transact did not run its function");
    return { ok: true, batch, value };
  }

  private afterDurable(b: StepBatch<Tx>): void {
    this.coordinatorState = b.coordinatorState;
    this.participantState = b.participantState;
    for (const name of b.afterFailpoints) this.failpoints.hit(name);
    for (const op of b.outboxOps) this.outbox.apply(op);
    for (const op of b.timerOps) {
      if (op.op === "set") this.setCoreTimer(op.timer, op.atMs);
      else this.clearCoreTimer(op.timer);
    }
    if (b.deferredRecords.length > 0) {
      const records = b.deferredRecords;
      this.options.timers.set(
        WRITE_BEHIND_DELAY_MS,
        this.guard(() => this.options.store.transact((tx) => records.forEach((r) => tx.appendLog(r)))),
      );
    }
    for (const txId of this.blobsByTx.keys()) {
      if (this.coordinatorState.txns.get(txId)?.phase !== "collecting") this.blobsByTx.delete(txId);
    }
    // Peers first, this site last: its own delivery runs synchronously (a local fsync) and would
    // otherwise hold back the network sends it could overlap with.
    for (const peer of b.touchedPeers) if (peer !== this.self) this.outbox.kick(peer);
    if (b.touchedPeers.has(this.self)) this.outbox.kick(this.self);
    for (const event of b.events) this.emit(event);
    if (this.config.checkInvariants) this.assertInvariants();
  }

  private batchDeps() {
    const seams = this.options.testOnlySeams;
    return {
      self: this.self,
      domain: this.options.domain,
      failpoints: this.failpoints,
      coordinatorConfig: { prepareTimeoutMs: this.config.prepareTimeoutMs, resolve: this.options.domain.resolve.bind(this.options.domain) },
      participantConfig: { inquiryAfterMs: this.config.inquiryAfterMs, inquiryMaxDelayMs: this.config.inquiryMaxDelayMs },
      coordinatorStep: seams?.coordinatorStep ?? coordinatorStep,
      participantStep: seams?.participantStep ?? participantStep,
      writeBehind: seams?.writeBehind ?? NO_KINDS,
      envelope: (draft: Draft, re?: string) => this.envelope(draft, re),
    };
  }

  private envelope(draft: Draft, re?: string): Message {
    const msg: Message = { ...draft, v: 1, msgId: this.options.random.uuid(), from: this.self };
    if (re !== undefined) msg.re = re;
    if (msg.type === "PREPARE") {
      const blobs = this.blobsByTx.get(msg.txId);
      if (blobs) msg.blobs = [...blobs];
    }
    return msg;
  }

  private setCoreTimer(timer: TimerRef, atMs: number): void {
    this.clearCoreTimer(timer);
    const key = timerKey(timer);
    const delayMs = Math.max(0, atMs - this.options.clock.nowMs());
    const cancel = this.options.timers.set(
      delayMs,
      this.guard(() => {
        this.coreTimers.delete(key);
        this.onTimer(timer);
      }),
    );
    this.coreTimers.set(key, cancel);
  }

  private clearCoreTimer(timer: TimerRef): void {
    const key = timerKey(timer);
    this.coreTimers.get(key)?.();
    this.coreTimers.delete(key);
  }

  private onTimer(timer: TimerRef): void {
    if (timer.kind === "inquiry") this.runBatch((b) => b.participant({ type: "inquiry-due", txId: timer.txId }));
    else this.runBatch((b) => b.coordinator({ type: "prepare-timeout", txId: timer.txId }));
  }

  private emit(event: DecisionEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // A product listener must not take the protocol down with it.
        console.error("twopc decision listener failed", error);
      }
    }
  }

  // ---- safety ----------------------------------------------------------------------------

  /** The runtime's promises to itself: every open obligation has a message or a timer behind it. */
  private assertInvariants(): void {
    assertObligations({
      coordinator: this.coordinatorState,
      participant: this.participantState,
      queued: (peer, key) => this.outbox.get(peer, key)?.msg.type,
      hasTimer: (timer) => this.coreTimers.has(timerKey(timer)),
    });
  }

  private guard(fn: () => void): () => void {
    return () => {
      if (!this.running) return;
      try {
        fn();
      } catch (error) {
        this.fail(error);
      }
    };
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.stop();
    (this.options.onFatal ?? crashProcess)(error);
  }

  private assertRunning(): void {
    if (!this.running) {
      const code = this.started ? "stopped" : "not-started";
      throw new TwoPcError(code, `site ${this.self} is ${code}`, { definite: true });
    }
  }

  private isMintedHere(txId: TxId): boolean {
    return txId.startsWith(`${this.self}.`);
  }
}

const NO_KINDS: ReadonlySet<LogRecordKind> = new Set();

/** The answer to a quarantined request, when one is safe (see TwoPcNode.quarantine); a reply is never answered. */
function quarantineReply(msg: Message): Draft | undefined {
  if (msg.re !== undefined) return undefined;
  switch (msg.type) {
    case "PREPARE":
      return { type: "VOTE", txId: msg.txId, vote: "no", code: "quarantined", reason: "this site could not handle the PREPARE (quarantined)" };
    case "INQUIRY":
      return { type: "STATUS", txId: msg.txId, status: "pending" };
    case "APP":
      return { type: "APP_ACK", txId: msg.txId };
    default:
      return undefined;
  }
}
