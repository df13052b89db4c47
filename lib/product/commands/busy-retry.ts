import { retryDelayMs } from "@/lib/twopc/backoff";

/** Attempts of a change whose transaction aborted because another change of the same event held it prepared somewhere ("busy"). */
export const MAX_BUSY_ATTEMPTS = 6;

/** The jittered pause before attempt `attempt + 1`: doubling from 150 ms to 1.2 s, never in step with the other change's retries. */
export function pauseAfterBusy(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, { baseMs: 150, maxMs: 1_200, random01: Math.random() })));
}
