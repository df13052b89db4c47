// Pure coordinator state machine, presumed abort. Nothing is logged before the PREPAREs go out (they
// are non-durable: lost on a crash, which only means abort). The decision is logged before any
// DECISION is sent, and kept and re-sent until every participant has ACKed; then `ended`.
import { txOutboxKey, type Effect, type StepResult } from "./effects";
import { invariant } from "./errors";
import { loggedDecision } from "./history";
import type { LogRecord } from "./log-records";
import { tally } from "./tally";
import type { Change, Decision, Json, Resolution, SiteId, TxId, Vote, VoteValue } from "./types";

export interface CoordinatorTxn {
  txId: TxId;
  change: Change;
  participants: readonly SiteId[];
  votes: ReadonlyMap<SiteId, Vote>;
  phase: "collecting" | "decided";
  decision?: Decision | undefined;
  result?: Json | undefined;
  /** Why it aborted: a closed code (see ENGINE_CODES) and words for people. */
  code?: string | undefined;
  reason?: string | undefined;
  /** Participants known to hold the decision durably (a NO voter needs no ABORT: it holds nothing). */
  acks: ReadonlySet<SiteId>;
}

export interface CoordinatorState {
  self: SiteId;
  /** Live txns: collecting votes, or decided and waiting for ACKs. Ended txns live only in the log. */
  txns: ReadonlyMap<TxId, CoordinatorTxn>;
}

export interface CoordinatorConfig {
  prepareTimeoutMs: number;
  /** Pure domain verdict once every participant voted yes (may still abort, or compute a result). */
  resolve: (change: Change, votes: ReadonlyMap<SiteId, Vote>) => Resolution;
}

export type CoordinatorInput =
  | { type: "begin"; txId: TxId; change: Change; participants: readonly SiteId[]; nowMs: number }
  | { type: "vote"; from: SiteId; txId: TxId; vote: Vote }
  | { type: "ack"; from: SiteId; txId: TxId }
  | { type: "inquiry"; from: SiteId; txId: TxId; history: readonly LogRecord[] }
  /** Someone asks for the outcome of a txn minted here that is not live: presume abort, durably. */
  | { type: "fence"; txId: TxId; history: readonly LogRecord[] }
  | { type: "prepare-timeout"; txId: TxId }
  | { type: "recovered"; records: readonly LogRecord[] };

export function initialCoordinatorState(self: SiteId): CoordinatorState {
  return { self, txns: new Map() };
}

export function coordinatorStep(
  state: CoordinatorState,
  input: CoordinatorInput,
  config: CoordinatorConfig,
): StepResult<CoordinatorState> {
  switch (input.type) {
    case "begin":
      return onBegin(state, input, config);
    case "vote":
      return onVote(state, input, config);
    case "ack":
      return onAck(state, input);
    case "inquiry":
      return onInquiry(state, input);
    case "fence":
      return onFence(state, input);
    case "prepare-timeout":
      return onPrepareTimeout(state, input);
    case "recovered":
      return onRecovered(state, input);
  }
}

function withTxn(state: CoordinatorState, txn: CoordinatorTxn): CoordinatorState {
  return { ...state, txns: new Map(state.txns).set(txn.txId, txn) };
}

function withoutTxn(state: CoordinatorState, txId: TxId): CoordinatorState {
  const txns = new Map(state.txns);
  txns.delete(txId);
  return { ...state, txns };
}

function onBegin(
  state: CoordinatorState,
  input: Extract<CoordinatorInput, { type: "begin" }>,
  config: CoordinatorConfig,
): StepResult<CoordinatorState> {
  invariant(!state.txns.has(input.txId), `txn ${input.txId} begun twice`);
  invariant(input.participants.length > 0, "a txn needs participants");
  const txn: CoordinatorTxn = {
    txId: input.txId,
    change: input.change,
    participants: input.participants,
    votes: new Map(),
    phase: "collecting",
    acks: new Set(),
  };
  const effects: Effect[] = input.participants.map((to) => ({
    type: "send",
    to,
    key: txOutboxKey(input.txId),
    msg: { type: "PREPARE", txId: input.txId, participants: [...input.participants], change: input.change },
    durable: false,
  }));
  effects.push({
    type: "setTimer",
    timer: { kind: "prepare-timeout", txId: input.txId },
    atMs: input.nowMs + config.prepareTimeoutMs,
  });
  return { state: withTxn(state, txn), effects };
}

function onVote(
  state: CoordinatorState,
  input: Extract<CoordinatorInput, { type: "vote" }>,
  config: CoordinatorConfig,
): StepResult<CoordinatorState> {
  const txn = state.txns.get(input.txId);
  // Late, duplicate or foreign votes change nothing: the first vote of a participant counts.
  if (!txn || txn.phase !== "collecting") return { state, effects: [] };
  if (!txn.participants.includes(input.from) || txn.votes.has(input.from)) return { state, effects: [] };

  const votes = new Map(txn.votes).set(input.from, input.vote);
  const collecting: CoordinatorTxn = { ...txn, votes };
  const values = new Map<SiteId, VoteValue>();
  for (const [site, v] of votes) values.set(site, v.vote);

  switch (tally(txn.participants, values)) {
    case "pending":
      return { state: withTxn(state, collecting), effects: [] };
    case "abort":
      return decide(state, collecting, { decision: "abort", code: input.vote.code ?? "refused", reason: noReason(input.from, input.vote) });
    case "commit":
      return decide(state, collecting, config.resolve(txn.change, votes));
  }
}

function noReason(from: SiteId, vote: Vote): string {
  return `${from} voted no${vote.reason === undefined ? "" : `: ${vote.reason}`}`;
}

/** Log the decision, then (after it is durable, the runtime guarantees) send it to every participant. */
function decide(
  state: CoordinatorState,
  txn: CoordinatorTxn,
  resolution: Resolution,
): StepResult<CoordinatorState> {
  const decision = resolution.decision;
  const result = resolution.decision === "commit" ? resolution.result : undefined;
  const code = resolution.decision === "abort" ? resolution.code : undefined;
  const reason = resolution.decision === "abort" ? resolution.reason : undefined;
  invariant(
    decision === "abort" || txn.participants.every((p) => txn.votes.get(p)?.vote === "yes"),
    `commit of ${txn.txId} without a YES from every participant`,
  );
  const votes: Record<SiteId, "yes" | "no" | "none"> = {};
  for (const site of txn.participants) votes[site] = txn.votes.get(site)?.vote ?? "none";

  const acks = noVoters(txn.participants, votes, decision);
  const decided: CoordinatorTxn = { ...txn, phase: "decided", decision, result, code, reason, acks };
  const effects: Effect[] = [
    {
      type: "persist",
      record: {
        v: 1,
        kind: "coordinator.decided",
        txId: txn.txId,
        decision,
        result,
        code,
        reason,
        participants: [...txn.participants],
        votes,
        fenced: false,
      },
    },
    { type: "clearTimer", timer: { kind: "prepare-timeout", txId: txn.txId } },
    ...decisionSends(decided),
    { type: "decided", txId: txn.txId, role: "coordinator", decision, code, reason },
  ];
  return finishIfAllAcked(withTxn(state, decided), decided, effects);
}

/** Under presumed abort a participant that voted NO holds nothing and needs no ABORT. */
function noVoters(
  participants: readonly SiteId[],
  votes: Record<SiteId, "yes" | "no" | "none">,
  decision: Decision,
): Set<SiteId> {
  if (decision === "commit") return new Set();
  return new Set(participants.filter((p) => votes[p] === "no"));
}

function decisionSends(txn: CoordinatorTxn): Effect[] {
  invariant(txn.decision !== undefined, `txn ${txn.txId} has no decision to send`);
  const decision = txn.decision;
  return txn.participants
    .filter((to) => !txn.acks.has(to))
    .map((to) => ({
      type: "send",
      to,
      key: txOutboxKey(txn.txId),
      msg: { type: "DECISION", txId: txn.txId, decision, result: txn.result, code: txn.code, reason: txn.reason },
      durable: true,
    }));
}

function finishIfAllAcked(
  state: CoordinatorState,
  txn: CoordinatorTxn,
  effects: Effect[],
): StepResult<CoordinatorState> {
  if (!txn.participants.every((p) => txn.acks.has(p))) return { state, effects };
  effects.push({ type: "persist", record: { v: 1, kind: "coordinator.ended", txId: txn.txId } });
  return { state: withoutTxn(state, txn.txId), effects };
}

function onAck(state: CoordinatorState, input: Extract<CoordinatorInput, { type: "ack" }>): StepResult<CoordinatorState> {
  const txn = state.txns.get(input.txId);
  if (!txn || txn.phase !== "decided" || !txn.participants.includes(input.from)) return { state, effects: [] };
  if (txn.acks.has(input.from)) return { state, effects: [] };
  const acked: CoordinatorTxn = { ...txn, acks: new Set(txn.acks).add(input.from) };
  return finishIfAllAcked(withTxn(state, acked), acked, []);
}

function onInquiry(
  state: CoordinatorState,
  input: Extract<CoordinatorInput, { type: "inquiry" }>,
): StepResult<CoordinatorState> {
  const txn = state.txns.get(input.txId);
  if (txn?.phase === "collecting") {
    // Still collecting: it will decide by itself (all votes in, a NO, or the prepare timeout).
    return { state, effects: [{ type: "reply", msg: { type: "STATUS", txId: input.txId, status: "pending" } }] };
  }
  if (txn?.decision !== undefined) {
    const msg = { type: "DECISION", txId: txn.txId, decision: txn.decision, result: txn.result, code: txn.code, reason: txn.reason } as const;
    return { state, effects: [{ type: "reply", msg }] };
  }
  const logged = loggedDecision(input.history);
  if (logged) {
    const msg = { type: "DECISION", txId: logged.txId, decision: logged.decision, result: logged.result, code: logged.code, reason: logged.reason } as const;
    return { state, effects: [{ type: "reply", msg }] };
  }
  // Unknown here (never begun, or forgotten by a restart before deciding): fence with a durable ABORT
  // first, so nothing can ever commit it afterwards, then answer.
  const fenced = fence(state, input);
  fenced.effects.push({ type: "reply", msg: { type: "DECISION", txId: input.txId, decision: "abort", code: "presumed_abort", reason: "presumed abort" } });
  return fenced;
}

function onFence(state: CoordinatorState, input: Extract<CoordinatorInput, { type: "fence" }>): StepResult<CoordinatorState> {
  invariant(!state.txns.has(input.txId), `fencing live txn ${input.txId}`);
  if (loggedDecision(input.history)) return { state, effects: [] };
  return fence(state, input);
}

function fence(state: CoordinatorState, input: { txId: TxId }): StepResult<CoordinatorState> {
  return {
    state,
    effects: [
      {
        type: "persist",
        record: {
          v: 1,
          kind: "coordinator.decided",
          txId: input.txId,
          decision: "abort",
          code: "presumed_abort",
          reason: "presumed abort",
          participants: [],
          votes: {},
          fenced: true,
        },
      },
    ],
  };
}

function onPrepareTimeout(
  state: CoordinatorState,
  input: Extract<CoordinatorInput, { type: "prepare-timeout" }>,
): StepResult<CoordinatorState> {
  const txn = state.txns.get(input.txId);
  if (!txn || txn.phase !== "collecting") return { state, effects: [] };
  // A participant that did not answer is never a yes.
  const missing = txn.participants.filter((p) => !txn.votes.has(p));
  return decide(state, txn, { decision: "abort", code: "no_vote_in_time", reason: `no vote from ${missing.join(", ")} in time` });
}

/** Rebuild decided-but-unended txns and re-send their decision to every participant not known to hold it. */
function onRecovered(
  state: CoordinatorState,
  input: Extract<CoordinatorInput, { type: "recovered" }>,
): StepResult<CoordinatorState> {
  const txns = new Map<TxId, CoordinatorTxn>();
  for (const record of input.records) {
    if (record.kind === "coordinator.decided" && !record.fenced) {
      txns.set(record.txId, {
        txId: record.txId,
        // The change is not needed to finish a decided txn; participants hold it in `prepared`.
        change: { key: "", kind: "", data: null },
        participants: record.participants,
        votes: recoveredVotes(record.votes),
        phase: "decided",
        decision: record.decision,
        result: record.result,
        code: record.code,
        reason: record.reason,
        acks: noVoters(record.participants, record.votes, record.decision),
      });
    } else if (record.kind === "coordinator.ended") {
      txns.delete(record.txId);
    }
  }
  const effects: Effect[] = [];
  for (const txn of txns.values()) effects.push(...decisionSends(txn));
  return { state: { ...state, txns }, effects };
}

function recoveredVotes(votes: Record<SiteId, "yes" | "no" | "none">): Map<SiteId, Vote> {
  const out = new Map<SiteId, Vote>();
  for (const [site, v] of Object.entries(votes)) if (v !== "none") out.set(site, { vote: v });
  return out;
}
