import { refused } from "@/lib/errors";
import type { CommandResult } from "@/lib/http/answer";
import { retryDelayMs } from "@/lib/twopc/backoff";
import type { BeginOptions } from "@/lib/twopc/node";
import type { Outcome } from "@/lib/twopc/outcome";
import type { Change, TxId } from "@/lib/twopc/types";
import { abortedError, publicState } from "../outcome-view";
import type { ProductEngine } from "../ports/site";
import type { Refusal } from "../rules";

/** Attempts of a change whose transaction aborted because another change of the same event held it prepared somewhere ("busy"). */
export const MAX_BUSY_ATTEMPTS = 6;

/** The jittered pause before attempt `attempt + 1`: doubling from 150 ms to 1.2 s, never in step with the other change's retries. */
export function pauseAfterBusy(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, { baseMs: 150, maxMs: 1_200, random01: Math.random() })));
}

/**
 * Runs one change of an event as a transaction coordinated here, the way every photo and event
 * command does: the pending answer is remembered before anything can be decided (a retry after a
 * crash of this site finds the transaction), the outcome is awaited up to `decideWaitMs`, and an
 * abort is told in the person's words — what this site's rules say now, else another change held
 * the event ("busy": again after a pause, up to MAX_BUSY_ATTEMPTS), else the code a site refused
 * with. Resolves with a committed or pending transaction; throws the refusal otherwise.
 */
export async function runChange<A>(options: {
  engine: ProductEngine;
  change: Change;
  begin?: BeginOptions;
  decideWaitMs: number;
  /** The command's answer for this transaction and its outcome (null before there is one). */
  answerOf: (txId: TxId, outcome: Outcome | null) => A;
  remember?: (pending: CommandResult<A>) => void;
  /** Why this site's rules refuse the change now, if they do. */
  refusalNow: () => Refusal | null;
  /** "The photo was not added": how an abort without a rule's refusal begins. */
  notDone: string;
}): Promise<{ state: "committed" | "pending"; txId: TxId; answer: A }> {
  const { engine } = options;
  for (let attempt = 1; ; attempt++) {
    const txId = engine.begin(options.change, options.begin);
    options.remember?.({ effect: "pending", answer: options.answerOf(txId, null) });
    const outcome = await engine.waitForOutcome(txId, options.decideWaitMs);
    const state = publicState(outcome);
    if (state !== "aborted") return { state, txId, answer: options.answerOf(txId, outcome) };
    const refusal = options.refusalNow();
    if (refusal) throw refused(refusal);
    if (outcome.code === "busy" && attempt < MAX_BUSY_ATTEMPTS) {
      await pauseAfterBusy(attempt);
      continue;
    }
    throw abortedError(outcome, options.notDone);
  }
}
