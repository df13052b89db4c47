// The runtime's promises to itself, asserted after every step (config.checkInvariants):
// every open obligation of the protocol has a queued message or an armed timer behind it.
import type { CoordinatorState } from "./coordinator";
import { inquiryOutboxKey, txOutboxKey, type TimerRef } from "./effects";
import { invariant } from "./errors";
import type { MessageType } from "./messages";
import type { ParticipantState } from "./participant";
import type { SiteId } from "./types";

export interface ObligationView {
  coordinator: CoordinatorState;
  participant: ParticipantState;
  /** Type of the message queued in slot (peer, key), if any. */
  queued: (peer: SiteId, key: string) => MessageType | undefined;
  hasTimer: (timer: TimerRef) => boolean;
}

export function assertObligations(view: ObligationView): void {
  for (const txn of view.coordinator.txns.values()) {
    const slot = txOutboxKey(txn.txId);
    for (const site of txn.participants) {
      if (txn.phase === "collecting" && !txn.votes.has(site)) {
        invariant(view.queued(site, slot) === "PREPARE", `no PREPARE queued for ${site} in ${txn.txId}`);
      }
      if (txn.phase === "decided" && !txn.acks.has(site)) {
        invariant(view.queued(site, slot) === "DECISION", `no DECISION queued for ${site} in ${txn.txId}`);
      }
    }
    if (txn.phase === "collecting") {
      invariant(view.hasTimer({ kind: "prepare-timeout", txId: txn.txId }), `no prepare timeout for ${txn.txId}`);
    }
  }
  for (const txn of view.participant.prepared.values()) {
    const asking = view.queued(txn.coordinator, inquiryOutboxKey(txn.txId)) !== undefined;
    const willAsk = view.hasTimer({ kind: "inquiry", txId: txn.txId });
    invariant(asking || willAsk, `in-doubt txn ${txn.txId} will never ask its coordinator`);
  }
}
