// Helpers for the core's unit tests: effects as short readable lines, so a test reads like a transcript.
import type { Effect } from "./effects";
import type { LogRecord } from "./log-records";
import type { Change } from "./types";

export function describeEffect(effect: Effect): string {
  switch (effect.type) {
    case "persist":
      return `persist ${effect.record.kind}${"decision" in effect.record ? ` ${effect.record.decision}` : ""}${
        effect.record.kind === "participant.aborted" && effect.record.tombstone ? " tombstone" : ""
      }${effect.record.kind === "coordinator.decided" && effect.record.fenced ? " fenced" : ""}`;
    case "send":
      return `send ${effect.msg.type}${effect.msg.type === "DECISION" ? ` ${effect.msg.decision}` : ""} to ${effect.to}${effect.durable ? " (durable)" : ""}`;
    case "unsend":
      return `unsend ${effect.key} to ${effect.to}`;
    case "reply": {
      const m = effect.msg;
      if (m.type === "VOTE") return `reply VOTE ${m.vote}${m.code === undefined ? "" : ` (${m.code})`}`;
      if (m.type === "DECISION") return `reply DECISION ${m.decision}`;
      return `reply ${m.type}`;
    }
    case "setTimer":
      return `setTimer ${effect.timer.kind} at ${effect.atMs}`;
    case "clearTimer":
      return `clearTimer ${effect.timer.kind}`;
    case "prepareChange":
    case "commitChange":
    case "abortChange":
      return effect.type;
    case "decided":
      return `decided ${effect.decision} (${effect.role})`;
  }
}

export function transcript(effects: readonly Effect[]): string[] {
  return effects.map(describeEffect);
}

export const CHANGE: Change = { key: "event-1", kind: "append", data: { item: "x" } };
export const OTHER_KEY: Change = { key: "event-2", kind: "append", data: { item: "y" } };
export const SITES = ["s0", "s1", "s2", "s3"];

export function prepared(txId: string, change: Change = CHANGE, coordinator = "s0"): LogRecord {
  return { v: 1, kind: "participant.prepared", txId, coordinator, participants: SITES, change, info: undefined };
}
export function committed(txId: string): LogRecord {
  return { v: 1, kind: "participant.committed", txId, result: undefined };
}
export function aborted(txId: string, tombstone: boolean): LogRecord {
  return { v: 1, kind: "participant.aborted", txId, reason: "r", tombstone };
}
export function decided(txId: string, decision: "commit" | "abort"): LogRecord {
  const votes: Record<string, "yes" | "no" | "none"> = {};
  for (const s of SITES) votes[s] = decision === "commit" ? "yes" : "none";
  return { v: 1, kind: "coordinator.decided", txId, decision, participants: SITES, votes, fenced: false };
}
export function ended(txId: string): LogRecord {
  return { v: 1, kind: "coordinator.ended", txId };
}
export function fenced(txId: string): LogRecord {
  return { v: 1, kind: "coordinator.decided", txId, decision: "abort", code: "presumed_abort", reason: "presumed abort", participants: [], votes: {}, fenced: true };
}
