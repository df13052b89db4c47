// Site-to-site messages, version 1. The zod schemas are the trust boundary: the transport parses
// every inbound body with `parseMessages` before the runtime sees it. Replies carry `re`, the msgId
// of the request they answer. Kinds and fields are only ever added, never renumbered or reused.
import { z } from "zod";
import { CODE_PATTERN } from "./types";

const idSchema = z.string().min(1).max(200);
const codeSchema = z.string().regex(CODE_PATTERN);
const jsonSchema = z.json();

export const changeSchema = z.object({
  key: z.string().min(1).max(200),
  kind: z.string().min(1).max(100),
  data: jsonSchema,
});

const envelope = {
  v: z.literal(1),
  msgId: idSchema,
  txId: idSchema,
  from: idSchema,
  /** msgId of the request this message answers; set on replies only. */
  re: idSchema.optional(),
  /** Content hashes the transport must make available at the receiver before the message. */
  blobs: z.array(z.string().min(1).max(200)).max(100).optional(),
};

export const prepareSchema = z.object({
  ...envelope,
  type: z.literal("PREPARE"),
  participants: z.array(idSchema).min(1).max(64),
  change: changeSchema,
});
export const voteSchema = z.object({
  ...envelope,
  type: z.literal("VOTE"),
  vote: z.enum(["yes", "no"]),
  code: codeSchema.optional(),
  reason: z.string().max(1000).optional(),
  info: jsonSchema.optional(),
});
export const decisionSchema = z.object({
  ...envelope,
  type: z.literal("DECISION"),
  decision: z.enum(["commit", "abort"]),
  result: jsonSchema.optional(),
  code: codeSchema.optional(),
  reason: z.string().max(1000).optional(),
});
export const ackSchema = z.object({ ...envelope, type: z.literal("ACK") });
export const inquirySchema = z.object({ ...envelope, type: z.literal("INQUIRY") });
export const statusSchema = z.object({ ...envelope, type: z.literal("STATUS"), status: z.literal("pending") });
export const appSchema = z.object({
  ...envelope,
  type: z.literal("APP"),
  key: z.string().min(1).max(200),
  payload: jsonSchema,
});
export const appAckSchema = z.object({ ...envelope, type: z.literal("APP_ACK"), payload: jsonSchema.optional() });

export const messageSchema = z.discriminatedUnion("type", [
  prepareSchema,
  voteSchema,
  decisionSchema,
  ackSchema,
  inquirySchema,
  statusSchema,
  appSchema,
  appAckSchema,
]);

/** Bounded batch: one transport call carries at most this many messages. */
export const MAX_MESSAGES_PER_BATCH = 256;
export const messageBatchSchema = z.array(messageSchema).max(MAX_MESSAGES_PER_BATCH);

export type Message = z.infer<typeof messageSchema>;
export type MessageType = Message["type"];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

type EnvelopeField = "v" | "msgId" | "from" | "re" | "blobs";
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A message as the pure core emits it; the runtime adds the envelope (ids, sender, `re`). */
export type Draft = DistributiveOmit<Message, EnvelopeField>;

export type ParseResult = { ok: true; messages: Message[] } | { ok: false; error: string };

/** Parses an inbound transport body (already JSON-decoded). Never throws. */
export function parseMessages(body: unknown): ParseResult {
  const parsed = messageBatchSchema.safeParse(body);
  if (parsed.success) return { ok: true, messages: parsed.data };
  return { ok: false, error: z.prettifyError(parsed.error) };
}
