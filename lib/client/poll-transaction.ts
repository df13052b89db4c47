import type { TransactionAnswer } from "@/lib/api/contract";
import { getTransaction, type ApiResult } from "./api";

const FAST_POLLS = 30;
const FAST_INTERVAL_MS = 1_000;
const SLOW_INTERVAL_MS = 5_000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/**
 * Polls GET /api/transactions/:txId until it is committed or aborted: every second for the
 * first half minute, then every five (a site that is down may take a while to come back;
 * the outcome is still coming, so there is no give-up). `onUpdate` sees every answer.
 * Resolves with the final answer, or with the error when the signal aborts the wait.
 */
export async function pollTransaction(options: {
  txId: string;
  signal?: AbortSignal;
  onUpdate?: (answer: TransactionAnswer) => void;
}): Promise<ApiResult<TransactionAnswer>> {
  for (let attempt = 0; ; attempt += 1) {
    if (attempt > 0) await sleep(attempt < FAST_POLLS ? FAST_INTERVAL_MS : SLOW_INTERVAL_MS, options.signal);
    const result = await getTransaction(options.txId, options.signal);
    if (options.signal?.aborted) return result;
    if (!result.ok) {
      // A network blip or a site restarting: keep asking, the transaction has not gone away.
      if (result.error.status === 0 || result.error.status >= 500) continue;
      return result;
    }
    options.onUpdate?.(result.data);
    if (result.data.status !== "pending") return result;
  }
}
