import { useEffect, useRef, useState } from "react";
import type { TransactionAnswer } from "@/lib/api/contract";
import type { ApiError } from "./api";
import { pollTransaction } from "./poll-transaction";

export type TransactionWatch =
  | { phase: "idle" }
  | { phase: "watching"; answer: TransactionAnswer | null }
  | { phase: "settled"; answer: TransactionAnswer }
  | { phase: "failed"; error: ApiError };

/** Follows one transaction (GET /api/transactions/:txId) until the sites have decided it. */
export function useTransaction(txId: string | null, onSettled?: () => void): TransactionWatch {
  const [watch, setWatch] = useState<TransactionWatch>({ phase: "idle" });
  const settled = useRef(onSettled);
  useEffect(() => {
    settled.current = onSettled;
  }, [onSettled]);
  useEffect(() => {
    if (!txId) return;
    const controller = new AbortController();
    setWatch({ phase: "watching", answer: null });
    void pollTransaction({
      txId,
      signal: controller.signal,
      onUpdate: (answer) => {
        if (answer.status === "pending") setWatch({ phase: "watching", answer });
      },
    }).then((result) => {
      if (controller.signal.aborted) return;
      setWatch(result.ok ? { phase: "settled", answer: result.data } : { phase: "failed", error: result.error });
      settled.current?.();
    });
    return () => controller.abort();
  }, [txId]);
  return watch;
}
