// What every phase gets: the run's mode, temp folder, process registry, log and clock budget.
import { performance } from "node:perf_hooks";
import type { ProcessRegistry } from "./lib/processes";
import type { SiteClient } from "./lib/client";

export type BenchContext = {
  quick: boolean;
  /** Fresh temp folder of this run (site data, floor database, montage files). */
  root: string;
  processes: ProcessRegistry;
  log: (message: string) => void;
  /** Notes that belong in the report (a phase cut short, a comparison skipped). */
  notes: string[];
};

/** performance.now() deadline `ms` from now. */
export function deadlineIn(ms: number): number {
  return performance.now() + ms;
}

export function pastDeadline(deadline: number): boolean {
  return performance.now() > deadline;
}

/** Latency until the transaction is decided: the answer itself, or for a 202 the wait for the outcome too. */
export async function createCommitted(client: SiteClient, title: string, counters: { pending: number; aborted: number }): Promise<number> {
  const start = performance.now();
  const answer = await client.createEvent(title);
  if (answer.status === 201) return answer.ms;
  counters.pending += 1;
  const status = await client.waitDecided(answer.body.txId);
  if (status !== "committed") {
    counters.aborted += 1;
    throw new Error(`create-event ${answer.body.txId} ended ${status}`);
  }
  return performance.now() - start;
}
