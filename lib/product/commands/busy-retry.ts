/** Attempts of a change whose transaction aborted because another change of the same event held it prepared somewhere ("busy"). */
export const MAX_BUSY_ATTEMPTS = 6;
const BUSY_PAUSE_MS = 150;

/** The jittered pause before attempt `attempt + 1`: grows with each attempt, never in step with the other change's retries. */
export function pauseAfterBusy(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, BUSY_PAUSE_MS * attempt * (0.5 + Math.random())));
}
