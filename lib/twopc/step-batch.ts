// One store transaction's worth of core steps. Inside the transaction it runs the core, appends log
// records, writes outbox rows and runs domain effects; everything else (twin outbox changes, timers,
// events, the "after" failpoints) is collected and applied by the node once the transaction is durable.
import type { CoordinatorConfig, CoordinatorInput, CoordinatorState } from "./coordinator";
import type { Effect, StepResult, TimerRef } from "./effects";
import { invariant } from "./errors";
import type { LogRecord, LogRecordKind } from "./log-records";
import type { Draft, Message } from "./messages";
import type { OutboxEntry, OutboxOp } from "./outbox";
import type { ParticipantConfig, ParticipantInput, ParticipantState } from "./participant";
import type { DomainPort } from "./ports/domain";
import type { FailpointName, Failpoints } from "./ports/failpoints";
import type { StoreTx } from "./ports/store";
import type { Decision, SiteId, TxId } from "./types";

export type CoordinatorStepFn = (
  state: CoordinatorState,
  input: CoordinatorInput,
  config: CoordinatorConfig,
) => StepResult<CoordinatorState>;
export type ParticipantStepFn = (
  state: ParticipantState,
  input: ParticipantInput,
  config: ParticipantConfig,
) => StepResult<ParticipantState>;

export interface DecisionEvent {
  site: SiteId;
  txId: TxId;
  role: "coordinator" | "participant";
  decision: Decision;
  code?: string | undefined;
  reason?: string | undefined;
}

export type TimerOp = { op: "set"; timer: TimerRef; atMs: number } | { op: "clear"; timer: TimerRef };

export interface StepBatchDeps<Tx extends StoreTx> {
  self: SiteId;
  domain: DomainPort<Tx>;
  failpoints: Failpoints;
  coordinatorConfig: CoordinatorConfig;
  participantConfig: ParticipantConfig;
  coordinatorStep: CoordinatorStepFn;
  participantStep: ParticipantStepFn;
  /** Test-only seam: record kinds whose append is deferred to a later transaction (planted bugs). */
  writeBehind: ReadonlySet<LogRecordKind>;
  envelope: (draft: Draft, re?: string) => Message;
}

const BEFORE: Partial<Record<LogRecordKind, FailpointName>> = {
  "coordinator.decided": "coordinator.before-log-decision",
  "participant.prepared": "participant.before-log-prepare",
  "participant.committed": "participant.before-apply-commit",
};
const AFTER: Partial<Record<LogRecordKind, FailpointName>> = {
  "coordinator.decided": "coordinator.after-log-decision",
  "participant.prepared": "participant.after-log-prepare",
  "participant.committed": "participant.after-apply-commit",
};

export class StepBatch<Tx extends StoreTx> {
  readonly outboxOps: OutboxOp[] = [];
  readonly timerOps: TimerOp[] = [];
  readonly events: DecisionEvent[] = [];
  readonly afterFailpoints: FailpointName[] = [];
  readonly deferredRecords: LogRecord[] = [];
  readonly touchedPeers = new Set<SiteId>();

  constructor(
    readonly tx: Tx,
    public coordinatorState: CoordinatorState,
    public participantState: ParticipantState,
    private readonly deps: StepBatchDeps<Tx>,
  ) {}

  /** Steps the coordinator core; returns the reply to `request`, if the step produced one. */
  coordinator(input: CoordinatorInput, request?: Message): Message | undefined {
    const out = this.deps.coordinatorStep(this.coordinatorState, input, this.deps.coordinatorConfig);
    this.coordinatorState = out.state;
    return this.apply(out.effects, request);
  }

  participant(input: ParticipantInput, request?: Message): Message | undefined {
    const out = this.deps.participantStep(this.participantState, input, this.deps.participantConfig);
    this.participantState = out.state;
    return this.apply(out.effects, request);
  }

  /** A durable row the caller already wrote in this transaction (sendApp): the twin follows after commit. */
  enqueue(entry: OutboxEntry): void {
    this.outboxOps.push({ op: "put", entry });
    this.touchedPeers.add(entry.peer);
  }

  /** The peer answered `msg` in slot (peer, key): it leaves the outbox, durably if it was durable. */
  delivered(peer: SiteId, key: string, msg: Message, durable: boolean): void {
    // By message id, not by the twin: a row replaced outside a step (sendApp) may be newer than the twin.
    if (durable) this.tx.deleteOutbox(peer, key, msg.msgId);
    this.outboxOps.push({ op: "delete", peer, key, ifMsgId: msg.msgId });
  }

  private apply(effects: readonly Effect[], request: Message | undefined): Message | undefined {
    let reply: Message | undefined;
    for (const effect of effects) {
      switch (effect.type) {
        case "persist":
          this.persist(effect.record);
          break;
        case "send": {
          const msg = this.deps.envelope(effect.msg);
          if (effect.durable) this.tx.upsertOutbox({ peer: effect.to, key: effect.key, msg });
          this.outboxOps.push({ op: "put", entry: { peer: effect.to, key: effect.key, msg, durable: effect.durable } });
          this.touchedPeers.add(effect.to);
          break;
        }
        case "unsend":
          this.tx.deleteOutbox(effect.to, effect.key);
          this.outboxOps.push({ op: "delete", peer: effect.to, key: effect.key });
          break;
        case "reply":
          invariant(request !== undefined, `reply ${effect.msg.type} without a request`);
          invariant(reply === undefined, `two replies to ${request.type} ${request.msgId}`);
          reply = this.deps.envelope(effect.msg, request.msgId);
          break;
        case "setTimer":
          this.timerOps.push({ op: "set", timer: effect.timer, atMs: effect.atMs });
          break;
        case "clearTimer":
          this.timerOps.push({ op: "clear", timer: effect.timer });
          break;
        case "prepareChange":
          this.deps.domain.prepare(this.tx, effect.txId, effect.change);
          break;
        case "commitChange":
          this.deps.domain.commit(this.tx, effect.txId, effect.change, effect.result);
          break;
        case "abortChange":
          this.deps.domain.abort(this.tx, effect.txId, effect.change);
          break;
        case "decided":
          this.events.push({
            site: this.deps.self,
            txId: effect.txId,
            role: effect.role,
            decision: effect.decision,
            code: effect.code,
            reason: effect.reason,
          });
          break;
      }
    }
    return reply;
  }

  private persist(record: LogRecord): void {
    const fenced = record.kind === "coordinator.decided" && record.fenced;
    const before = fenced ? undefined : BEFORE[record.kind];
    // A crash here rolls back the whole transaction: nothing of this step happened.
    if (before) this.deps.failpoints.hit(before);
    if (this.deps.writeBehind.has(record.kind)) this.deferredRecords.push(record);
    else this.tx.appendLog(record);
    const after = fenced ? undefined : AFTER[record.kind];
    if (after) this.afterFailpoints.push(after);
  }
}

