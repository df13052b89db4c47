// Runs a range of seeds, in this thread or split over worker threads (each seed is independent,
// so the result does not depend on the split).
import { Worker } from "node:worker_threads";
import type { PlantedBug } from "./planted-bugs";
import { runSchedule } from "./schedule";

export interface SeedRange {
  from: number;
  count: number;
  plantedBug?: PlantedBug | undefined;
}

export interface RangeResult {
  ran: number;
  events: number;
  committed: number;
  aborted: number;
  /** The first failing seed of the range, if any (the range stops there). */
  failure?: { seed: number; violations: string[] } | undefined;
}

export async function runRange(range: SeedRange): Promise<RangeResult> {
  const result: RangeResult = { ran: 0, events: 0, committed: 0, aborted: 0 };
  for (let seed = range.from; seed < range.from + range.count; seed++) {
    const run = await runSchedule({ seed, plantedBug: range.plantedBug });
    result.ran += 1;
    result.events += run.stats.events;
    result.committed += run.stats.committed;
    result.aborted += run.stats.aborted;
    if (run.violations.length > 0) {
      result.failure = { seed, violations: run.violations };
      break;
    }
  }
  return result;
}

/** Splits the range over `workers` threads; the failure reported is the lowest failing seed. */
export async function runRangeInWorkers(range: SeedRange, workers: number): Promise<RangeResult> {
  const parts = Math.max(1, Math.min(workers, range.count));
  if (parts === 1) return runRange(range);
  const size = Math.ceil(range.count / parts);
  const slices: SeedRange[] = [];
  for (let from = range.from; from < range.from + range.count; from += size) {
    slices.push({ from, count: Math.min(size, range.from + range.count - from), plantedBug: range.plantedBug });
  }
  const results = await Promise.all(slices.map(runInWorker));
  const failures = results.flatMap((r) => (r.failure ? [r.failure] : [])).sort((a, b) => a.seed - b.seed);
  return {
    ran: results.reduce((n, r) => n + r.ran, 0),
    events: results.reduce((n, r) => n + r.events, 0),
    committed: results.reduce((n, r) => n + r.committed, 0),
    aborted: results.reduce((n, r) => n + r.aborted, 0),
    failure: failures[0],
  };
}

function runInWorker(range: SeedRange): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    // The boot module registers tsx in the worker, then loads range-worker.ts.
    const worker = new Worker(new URL("./range-worker-boot.mjs", import.meta.url), { workerData: range });
    worker.once("message", (message: RangeResult) => resolve(message));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`simulation worker exited with code ${code}`));
    });
  });
}
