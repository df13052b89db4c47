// Pure participant state machine. Every site runs one, the coordinator's site included.
// Rules: log `prepared` before voting YES; a NO needs no log; an ABORT for an unknown txn leaves a
// durable tombstone so a late PREPARE votes NO; a COMMIT is applied exactly once.
import { inquiryOutboxKey, type Effect, type StepResult } from "./effects";
import { retryDelayMs } from "./backoff";
import { invariant } from "./errors";
import { findRecord, participantFate } from "./history";
import type { LogRecord } from "./log-records";
import type { Change, Decision, Json, SiteId, TxId, Verdict } from "./types";

export interface PreparedTxn {
  txId: TxId;
  coordinator: SiteId;
  participants: readonly SiteId[];
  change: Change;
  info: Json | undefined;
  /** How many times the coordinator answered "still pending" to our inquiry: the next one waits longer. */
  pendingAnswers?: number | undefined;
}

export interface ParticipantState {
  self: SiteId;
  /** In-doubt txns: prepared, decision not yet known. Decided txns live only in the durable log. */
  prepared: ReadonlyMap<TxId, PreparedTxn>;
}

export interface ParticipantConfig {
  inquiryAfterMs: number;
  /** The longest wait between inquiries while the coordinator keeps answering "pending". */
  inquiryMaxDelayMs: number;
}

/** The wait before asking again after the n-th "pending" answer: doubling from inquiryAfterMs, capped. */
export function inquiryDelayMs(config: ParticipantConfig, pendingAnswers: number): number {
  // The ceiling of the shared backoff, without jitter: the core stays a function of its inputs.
  return retryDelayMs(pendingAnswers + 1, { baseMs: config.inquiryAfterMs, maxMs: Math.max(config.inquiryAfterMs, config.inquiryMaxDelayMs), random01: 1 });
}

export type ParticipantInput =
  | {
      type: "prepare";
      from: SiteId;
      txId: TxId;
      participants: readonly SiteId[];
      change: Change;
      /** The domain's check against committed state, computed by the runtime just before. */
      verdict: Verdict;
      history: readonly LogRecord[];
      nowMs: number;
    }
  | {
      type: "decision";
      from: SiteId;
      txId: TxId;
      decision: Decision;
      result?: Json | undefined;
      code?: string | undefined;
      reason?: string | undefined;
      history: readonly LogRecord[];
      /** True when the decision is the reply to our INQUIRY: then there is nobody to ACK. */
      asReply: boolean;
    }
  | { type: "status-pending"; txId: TxId; nowMs: number }
  | { type: "inquiry-due"; txId: TxId }
  | { type: "recovered"; records: readonly LogRecord[]; nowMs: number };

export function initialParticipantState(self: SiteId): ParticipantState {
  return { self, prepared: new Map() };
}

export function participantStep(
  state: ParticipantState,
  input: ParticipantInput,
  config: ParticipantConfig,
): StepResult<ParticipantState> {
  switch (input.type) {
    case "prepare":
      return onPrepare(state, input, config);
    case "decision":
      return input.decision === "commit" ? onCommit(state, input) : onAbort(state, input);
    case "status-pending":
      return onStatusPending(state, input, config);
    case "inquiry-due":
      return onInquiryDue(state, input);
    case "recovered":
      return onRecovered(state, input);
  }
}

function vote(txId: TxId, verdict: Verdict): Effect {
  return verdict.vote === "yes"
    ? { type: "reply", msg: { type: "VOTE", txId, vote: "yes", info: verdict.info } }
    : { type: "reply", msg: { type: "VOTE", txId, vote: "no", code: verdict.code, reason: verdict.reason } };
}

function onPrepare(
  state: ParticipantState,
  input: Extract<ParticipantInput, { type: "prepare" }>,
  config: ParticipantConfig,
): StepResult<ParticipantState> {
  const { txId } = input;
  const live = state.prepared.get(txId);
  // Duplicate PREPARE: the same answer again, nothing new logged.
  if (live) return { state, effects: [vote(txId, { vote: "yes", info: live.info })] };

  const fate = participantFate(input.history);
  invariant(fate !== "prepared", `txn ${txId} is prepared in the log but not in memory`);
  if (fate === "committed") {
    const prepared = findRecord(input.history, "participant.prepared");
    return { state, effects: [vote(txId, { vote: "yes", info: prepared?.info })] };
  }
  if (fate === "aborted") return { state, effects: [vote(txId, { vote: "no", code: "already_aborted", reason: "aborted here before" })] };

  const refusal = refusePrepare(state, input);
  if (refusal !== undefined) return { state, effects: [vote(txId, refusal)] };
  // The verdict is known to be a yes here (refusePrepare returned nothing).
  const info = input.verdict.vote === "yes" ? input.verdict.info : undefined;

  const txn: PreparedTxn = {
    txId,
    coordinator: input.from,
    participants: input.participants,
    change: input.change,
    info,
  };
  const prepared = new Map(state.prepared).set(txId, txn);
  return {
    state: { ...state, prepared },
    effects: [
      {
        type: "persist",
        record: {
          v: 1,
          kind: "participant.prepared",
          txId,
          coordinator: input.from,
          participants: [...input.participants],
          change: input.change,
          info,
        },
      },
      { type: "prepareChange", txId, change: input.change },
      { type: "setTimer", timer: { kind: "inquiry", txId }, atMs: input.nowMs + config.inquiryAfterMs },
      vote(txId, { vote: "yes", info }),
    ],
  };
}

/** Why this participant must vote NO, or undefined to vote YES. */
function refusePrepare(
  state: ParticipantState,
  input: Extract<ParticipantInput, { type: "prepare" }>,
): Extract<Verdict, { vote: "no" }> | undefined {
  if (!input.participants.includes(state.self)) return { vote: "no", code: "not_participant", reason: "not a participant" };
  // One prepared txn per key: never promise two conflicting things. NO instead of waiting: no deadlock.
  for (const other of state.prepared.values()) {
    if (other.change.key === input.change.key) return { vote: "no", code: "busy", reason: `busy: ${other.txId} is prepared on this key` };
  }
  if (input.verdict.vote === "no") return input.verdict;
  return undefined;
}

function ack(input: Extract<ParticipantInput, { type: "decision" }>): Effect[] {
  return input.asReply ? [] : [{ type: "reply", msg: { type: "ACK", txId: input.txId } }];
}

/** Effects that end an in-doubt period: no more inquiries for this txn. */
function settle(txn: PreparedTxn): Effect[] {
  return [
    { type: "clearTimer", timer: { kind: "inquiry", txId: txn.txId } },
    { type: "unsend", to: txn.coordinator, key: inquiryOutboxKey(txn.txId) },
  ];
}

function without(state: ParticipantState, txId: TxId): ParticipantState {
  const prepared = new Map(state.prepared);
  prepared.delete(txId);
  return { ...state, prepared };
}

function onCommit(
  state: ParticipantState,
  input: Extract<ParticipantInput, { type: "decision" }>,
): StepResult<ParticipantState> {
  const { txId } = input;
  const live = state.prepared.get(txId);
  if (!live) {
    const fate = participantFate(input.history);
    // A COMMIT needs our YES, and our YES needs a durable `prepared`: anything else is a protocol bug.
    invariant(fate !== "aborted", `COMMIT for txn ${txId} that this site aborted`);
    invariant(fate === "committed", `COMMIT for txn ${txId} that this site never prepared`);
    return { state, effects: ack(input) }; // duplicate COMMIT: already applied, apply nothing
  }
  return {
    state: without(state, txId),
    effects: [
      { type: "persist", record: { v: 1, kind: "participant.committed", txId, result: input.result } },
      { type: "commitChange", txId, change: live.change, result: input.result },
      ...settle(live),
      { type: "decided", txId, role: "participant", decision: "commit" },
      ...ack(input),
    ],
  };
}

function onAbort(
  state: ParticipantState,
  input: Extract<ParticipantInput, { type: "decision" }>,
): StepResult<ParticipantState> {
  const { txId } = input;
  const live = state.prepared.get(txId);
  if (!live) {
    const fate = participantFate(input.history);
    invariant(fate !== "committed", `ABORT for txn ${txId} that this site committed`);
    if (fate === "aborted") return { state, effects: ack(input) };
    // ABORT before PREPARE: remember it, so a late PREPARE votes NO.
    return {
      state,
      effects: [
        { type: "persist", record: { v: 1, kind: "participant.aborted", txId, code: input.code, reason: input.reason, tombstone: true } },
        ...ack(input),
      ],
    };
  }
  return {
    state: without(state, txId),
    effects: [
      { type: "persist", record: { v: 1, kind: "participant.aborted", txId, code: input.code, reason: input.reason, tombstone: false } },
      { type: "abortChange", txId, change: live.change },
      ...settle(live),
      { type: "decided", txId, role: "participant", decision: "abort", code: input.code, reason: input.reason },
      ...ack(input),
    ],
  };
}

function onInquiryDue(
  state: ParticipantState,
  input: Extract<ParticipantInput, { type: "inquiry-due" }>,
): StepResult<ParticipantState> {
  const live = state.prepared.get(input.txId);
  if (!live) return { state, effects: [] }; // stale timer: decided meanwhile
  // Durable: the inquiry must survive our own restart until the coordinator answers.
  return {
    state,
    effects: [
      {
        type: "send",
        to: live.coordinator,
        key: inquiryOutboxKey(input.txId),
        msg: { type: "INQUIRY", txId: input.txId },
        durable: true,
      },
    ],
  };
}

function onStatusPending(
  state: ParticipantState,
  input: Extract<ParticipantInput, { type: "status-pending" }>,
  config: ParticipantConfig,
): StepResult<ParticipantState> {
  const live = state.prepared.get(input.txId);
  if (!live) return { state, effects: [] };
  // The coordinator is still collecting votes and will decide by itself; ask again later, each
  // time a little later (a long-down participant elsewhere must not make us ask every few seconds).
  const pendingAnswers = (live.pendingAnswers ?? 0) + 1;
  const prepared = new Map(state.prepared).set(input.txId, { ...live, pendingAnswers });
  return {
    state: { ...state, prepared },
    effects: [
      { type: "setTimer", timer: { kind: "inquiry", txId: input.txId }, atMs: input.nowMs + inquiryDelayMs(config, pendingAnswers) },
    ],
  };
}

/** Rebuild the in-doubt set from the log; each in-doubt txn asks its coordinator at once. */
function onRecovered(
  state: ParticipantState,
  input: Extract<ParticipantInput, { type: "recovered" }>,
): StepResult<ParticipantState> {
  const prepared = new Map<TxId, PreparedTxn>();
  for (const record of input.records) {
    if (record.kind === "participant.prepared") {
      prepared.set(record.txId, {
        txId: record.txId,
        coordinator: record.coordinator,
        participants: record.participants,
        change: record.change,
        info: record.info,
      });
    } else if (record.kind === "participant.committed" || record.kind === "participant.aborted") {
      prepared.delete(record.txId);
    }
  }
  const effects: Effect[] = [];
  for (const txn of prepared.values()) {
    effects.push({ type: "setTimer", timer: { kind: "inquiry", txId: txn.txId }, atMs: input.nowMs });
  }
  return { state: { ...state, prepared }, effects };
}
