// Closed-loop load: `concurrency` workers each run one operation at a time until `total` have
// run. Each operation returns its own latency; failures are counted, not hidden.
import { performance } from "node:perf_hooks";

export type LoadResult = { latenciesMs: number[]; failures: string[]; wallMs: number };

export async function runClosedLoop(options: {
  total: number;
  concurrency: number;
  op: (i: number, worker: number) => Promise<number>;
  /** performance.now() after which no new operation starts (a busy host ends the phase early)... */
  deadline?: number;
  /** ...once at least this many have started. */
  minimum?: number;
}): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const start = performance.now();
  const worker = async (id: number) => {
    for (;;) {
      const i = next++;
      const late = options.deadline !== undefined && performance.now() > options.deadline && i >= (options.minimum ?? 0);
      if (i >= options.total || late) return;
      try {
        latenciesMs.push(await options.op(i, id));
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
        if (failures.length > Math.max(10, options.total / 10)) throw new Error(`too many failures, e.g. ${failures[0] ?? ""}`, { cause: error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.total) }, (_, id) => worker(id)));
  return { latenciesMs, failures, wallMs: performance.now() - start };
}
