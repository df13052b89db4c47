// Pure readers of one txn's durable log records (the runtime passes them into the core, so the
// core can answer for txns it no longer holds in memory).
import type { LogRecord, LogRecordOf } from "./log-records";

export type ParticipantFate = "unknown" | "prepared" | "committed" | "aborted";

export function participantFate(history: readonly LogRecord[]): ParticipantFate {
  let fate: ParticipantFate = "unknown";
  for (const record of history) {
    if (record.kind === "participant.committed") return "committed";
    if (record.kind === "participant.aborted") return "aborted";
    if (record.kind === "participant.prepared") fate = "prepared";
  }
  return fate;
}

export function findRecord<K extends LogRecord["kind"]>(
  history: readonly LogRecord[],
  kind: K,
): LogRecordOf<K> | undefined {
  for (const record of history) {
    if (record.kind === kind) return record as LogRecordOf<K>;
  }
  return undefined;
}

export function loggedDecision(history: readonly LogRecord[]): LogRecordOf<"coordinator.decided"> | undefined {
  return findRecord(history, "coordinator.decided");
}

/** How a record changes the txn's row in `TxOpen` (the unsettled txns recovery reads; see Store.readUnsettledLog), if at all. */
export function openRoleChange(record: LogRecord): { role: "participant" | "coordinator"; open: boolean } | undefined {
  switch (record.kind) {
    case "participant.prepared":
      return { role: "participant", open: true };
    case "participant.committed":
    case "participant.aborted":
      return { role: "participant", open: false };
    case "coordinator.decided":
      return record.fenced ? undefined : { role: "coordinator", open: true };
    case "coordinator.ended":
      return { role: "coordinator", open: false };
  }
}