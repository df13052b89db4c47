// What the product is told about a txn. "pending" is honest: it may still commit.
import type { CoordinatorTxn } from "./coordinator";
import type { LogRecord, LogRecordOf } from "./log-records";
import { findRecord, participantFate } from "./history";
import type { SiteId, TxId } from "./types";

export interface SiteOutcome {
  vote: "yes" | "no" | "none";
  /** The site has durably applied the decision (or holds nothing to apply, after a NO). */
  acked: boolean;
}

export interface Outcome {
  txId: TxId;
  /** "unknown": this site is not the coordinator and has no record of the txn. */
  state: "pending" | "committed" | "aborted" | "unknown";
  /** Why it aborted: a closed code (the engine's ENGINE_CODES or the domain's own) and words for people. */
  code?: string | undefined;
  reason?: string | undefined;
  /** Whose view this is: the coordinator's (authoritative, with votes and acks) or a participant's. */
  view: "coordinator" | "participant";
  sites: Record<SiteId, SiteOutcome>;
}

export function outcomeOfLive(txn: CoordinatorTxn): Outcome {
  const sites: Record<SiteId, SiteOutcome> = {};
  for (const site of txn.participants) {
    sites[site] = { vote: txn.votes.get(site)?.vote ?? "none", acked: txn.acks.has(site) };
  }
  const state = txn.decision === undefined ? "pending" : txn.decision === "commit" ? "committed" : "aborted";
  return { txId: txn.txId, state, code: txn.code, reason: txn.reason, view: "coordinator", sites };
}

/** Outcome of a decided txn that is no longer live: it has ended, so every participant acked. */
export function outcomeOfDecided(record: LogRecordOf<"coordinator.decided">): Outcome {
  const sites: Record<SiteId, SiteOutcome> = {};
  for (const site of record.participants) sites[site] = { vote: record.votes[site] ?? "none", acked: true };
  return {
    txId: record.txId,
    state: record.decision === "commit" ? "committed" : "aborted",
    code: record.code,
    reason: record.reason,
    view: "coordinator",
    sites,
  };
}

export function outcomeAtParticipant(txId: TxId, history: readonly LogRecord[]): Outcome {
  const fate = participantFate(history);
  const state = fate === "prepared" ? "pending" : fate === "committed" ? "committed" : fate === "aborted" ? "aborted" : "unknown";
  const aborted = findRecord(history, "participant.aborted");
  return { txId, state, code: aborted?.code, reason: aborted?.reason, view: "participant", sites: {} };
}
