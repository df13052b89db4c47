// Pure: which txns this site may forget from its log (docs/PROTOCOL.md, "Pruning the log"). The
// runtime hands in candidates whose records are all older than the quiet period and `logKeepMs`;
// this step keeps every txn recovery, presumed abort or an in-doubt peer may still need.
import type { CoordinatorState } from "./coordinator";
import type { Effect, StepResult } from "./effects";
import { findRecord, loggedDecision, participantFate } from "./history";
import type { LogRecord } from "./log-records";
import type { ParticipantState } from "./participant";
import type { TxId } from "./types";

export interface PruneCandidate {
  txId: TxId;
  history: readonly LogRecord[];
  /** The seq of its newest record: the horizon rises to the highest one forgotten. */
  tailSeq: number;
}

export interface PruneState {
  coordinator: CoordinatorState;
  participant: ParticipantState;
}

export type PruneInput = { type: "prune"; candidates: readonly PruneCandidate[] };

export type PruneStepFn = (state: PruneState, input: PruneInput) => StepResult<PruneState>;

export const pruneStep: PruneStepFn = (state, input) => {
  const forgotten = input.candidates.filter((c) => finishedHere(state, c.txId, c.history));
  if (forgotten.length === 0) return { state, effects: [] };
  const effects: Effect[] = [{ type: "forget", txIds: forgotten.map((c) => c.txId), upToSeq: Math.max(...forgotten.map((c) => c.tailSeq)) }];
  return { state, effects };
};

/**
 * Finished here, in both roles: not live; as a participant not prepared-and-undecided; as the
 * coordinator either never decided here, fenced, or ended — every participant acknowledged the
 * decision durably, so none can be in doubt and none will ever ask about it again.
 */
export function finishedHere(state: PruneState, txId: TxId, history: readonly LogRecord[]): boolean {
  if (state.coordinator.txns.has(txId) || state.participant.prepared.has(txId)) return false;
  if (participantFate(history) === "prepared") return false;
  const decided = loggedDecision(history);
  return decided === undefined || decided.fenced || findRecord(history, "coordinator.ended") !== undefined;
}
