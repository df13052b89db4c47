// Which core step a message feeds: requests (PREPARE, DECISION, INQUIRY, APP) and replies (VOTE,
// ACK, STATUS, DECISION, APP_ACK). Runs inside the step's store transaction.
import type { Draft, Message } from "./messages";
import type { DomainPort } from "./ports/domain";
import type { StoreTx } from "./ports/store";
import type { StepBatch } from "./step-batch";
import type { Change, SiteId, Verdict } from "./types";

export interface RequestContext<Tx extends StoreTx> {
  from: SiteId;
  msg: Message;
  nowMs: number;
  domain: DomainPort<Tx>;
  envelope: (draft: Draft, re?: string) => Message;
}

/** Handles one inbound request; returns its reply (undefined for a reply kind sent as a request). */
export function stepRequest<Tx extends StoreTx>(b: StepBatch<Tx>, ctx: RequestContext<Tx>): Message | undefined {
  const { from, msg, nowMs } = ctx;
  switch (msg.type) {
    case "PREPARE":
      return b.participant(
        {
          type: "prepare",
          from,
          txId: msg.txId,
          participants: msg.participants,
          change: msg.change,
          verdict: check(ctx.domain, b.tx, msg.change),
          history: b.tx.logFor(msg.txId),
          nowMs,
        },
        msg,
      );
    case "DECISION":
      return b.participant(
        {
          type: "decision",
          from,
          txId: msg.txId,
          decision: msg.decision,
          result: msg.result,
          code: msg.code,
          reason: msg.reason,
          history: b.tx.logFor(msg.txId),
          asReply: false,
        },
        msg,
      );
    case "INQUIRY":
      return b.coordinator({ type: "inquiry", from, txId: msg.txId, history: b.tx.logFor(msg.txId) }, msg);
    case "APP": {
      // The domain must answer, not throw: an exception here stops the node (fail-stop).
      const payload = ctx.domain.onMessage(b.tx, from, msg.payload, msg.key);
      return ctx.envelope({ type: "APP_ACK", txId: msg.txId, payload }, msg.msgId);
    }
    default:
      return undefined;
  }
}

/** Feeds one reply from `peer` to the core (its request already left the outbox). */
export function stepReply<Tx extends StoreTx>(b: StepBatch<Tx>, peer: SiteId, reply: Message, nowMs: number): void {
  switch (reply.type) {
    case "VOTE":
      b.coordinator({ type: "vote", from: peer, txId: reply.txId, vote: { vote: reply.vote, code: reply.code, reason: reply.reason, info: reply.info } });
      return;
    case "ACK":
      b.coordinator({ type: "ack", from: peer, txId: reply.txId });
      return;
    case "STATUS":
      b.participant({ type: "status-pending", txId: reply.txId, nowMs });
      return;
    case "DECISION":
      b.participant({
        type: "decision",
        from: peer,
        txId: reply.txId,
        decision: reply.decision,
        result: reply.result,
        code: reply.code,
        reason: reply.reason,
        history: b.tx.logFor(reply.txId),
        asReply: true,
      });
      return;
    default:
      return; // APP_ACK: being delivered is all there is to it
  }
}

/** The domain's check; an exception is a NO (refusing is always safe). */
function check<Tx>(domain: DomainPort<Tx>, tx: Tx, change: Change): Verdict {
  try {
    return domain.check(tx, change);
  } catch (error) {
    return { vote: "no", code: "check_failed", reason: `check failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
