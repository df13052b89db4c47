// The durable log: typed, versioned records. A kind is never renumbered or reused; a new meaning
// gets a new kind (or a new `v`). Records are appended, never updated.
import { z } from "zod";
import { changeSchema } from "./messages";

const idSchema = z.string().min(1).max(200);
const jsonSchema = z.json();

export const participantPreparedSchema = z.object({
  v: z.literal(1),
  kind: z.literal("participant.prepared"),
  txId: idSchema,
  coordinator: idSchema,
  participants: z.array(idSchema),
  change: changeSchema,
  /** Domain data attached to the YES vote, so a duplicate PREPARE gets the very same answer. */
  info: jsonSchema.optional(),
});
export const participantCommittedSchema = z.object({
  v: z.literal(1),
  kind: z.literal("participant.committed"),
  txId: idSchema,
  result: jsonSchema.optional(),
});
export const participantAbortedSchema = z.object({
  v: z.literal(1),
  kind: z.literal("participant.aborted"),
  txId: idSchema,
  code: z.string().optional(),
  reason: z.string().optional(),
  /** True when the ABORT arrived before (or without) any PREPARE: a late PREPARE must vote NO. */
  tombstone: z.boolean(),
});
export const coordinatorDecidedSchema = z.object({
  v: z.literal(1),
  kind: z.literal("coordinator.decided"),
  txId: idSchema,
  decision: z.enum(["commit", "abort"]),
  result: jsonSchema.optional(),
  code: z.string().optional(),
  reason: z.string().optional(),
  participants: z.array(idSchema),
  /** Each participant's vote when deciding ("none" = no vote received). */
  votes: z.record(z.string(), z.enum(["yes", "no", "none"])),
  /** True for an abort logged only to answer an inquiry (or a query) about an unknown txn. */
  fenced: z.boolean(),
});
export const coordinatorEndedSchema = z.object({
  v: z.literal(1),
  kind: z.literal("coordinator.ended"),
  txId: idSchema,
});

export const logRecordSchema = z.discriminatedUnion("kind", [
  participantPreparedSchema,
  participantCommittedSchema,
  participantAbortedSchema,
  coordinatorDecidedSchema,
  coordinatorEndedSchema,
]);

export type LogRecord = z.infer<typeof logRecordSchema>;
export type LogRecordKind = LogRecord["kind"];
export type LogRecordOf<K extends LogRecordKind> = Extract<LogRecord, { kind: K }>;
