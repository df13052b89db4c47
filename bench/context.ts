// What every phase gets: the run's mode, temp folder, process registry, log and clock budget.
import { performance } from "node:perf_hooks";
import type { ProcessRegistry } from "./lib/processes";
import type { SiteClient, Timed } from "./lib/client";

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
export function createCommitted(client: SiteClient, title: string, counters: Counters): Promise<number> {
  return untilCommitted("create-event", client, () => client.createEvent(title), counters);
}

export type Counters = { pending: number; aborted: number };

/**
 * Milliseconds from sending `request` until its transaction is committed: the answer's own time
 * for a 201, else (202 pending) until GET /api/transactions says it committed. An abort throws.
 */
export async function untilCommitted(kind: string, client: SiteClient, request: () => Promise<Timed<{ txId: string }>>, counters: Counters): Promise<number> {
  const start = performance.now();
  const answer = await request();
  if (answer.status === 201) return answer.ms;
  counters.pending += 1;
  const status = await client.waitDecided(answer.body.txId);
  if (status !== "committed") {
    counters.aborted += 1;
    throw new Error(`${kind} ${answer.body.txId} ended ${status}`);
  }
  return performance.now() - start;
}
