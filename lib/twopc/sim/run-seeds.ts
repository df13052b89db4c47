// Runs a range of seeds, in this thread or split over worker threads (each seed is independent,
// so the result does not depend on the split). Generic over the schedule: the engine's own (toy
// domain, here) or the product's (lib/sim), each with a worker entry that runs its kind.
import { Worker } from "node:worker_threads";
import type { PlantedBug } from "./planted-bugs";
import { runSchedule } from "./schedule";

export interface SeedRange<Bug extends string = PlantedBug> {
  from: number;
  count: number;
  plantedBug?: Bug | undefined;
}

export interface RangeResult {
  ran: number;
  events: number;
  committed: number;
  aborted: number;
  /** The first failing seed of the range, if any (the range stops there). */
  failure?: { seed: number; violations: string[] } | undefined;
}

/** One schedule, as far as a range needs to know it. */
export type RunOne<Bug extends string> = (seed: number, plantedBug: Bug | undefined) => Promise<{
  violations: string[];
  stats: { events: number; committed: number; aborted: number };
}>;

export async function runRangeWith<Bug extends string>(range: SeedRange<Bug>, runOne: RunOne<Bug>): Promise<RangeResult> {
  const result: RangeResult = { ran: 0, events: 0, committed: 0, aborted: 0 };
  for (let seed = range.from; seed < range.from + range.count; seed++) {
    const run = await runOne(seed, range.plantedBug);
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

/**
 * Splits the range over `workers` threads, each running `entry` (a module that reads the range
 * from workerData and posts back its RangeResult); the failure reported is the lowest failing seed.
 */
export async function runRangeInWorkersWith<Bug extends string>(range: SeedRange<Bug>, workers: number, entry: URL, runOne: RunOne<Bug>): Promise<RangeResult> {
  const parts = Math.max(1, Math.min(workers, range.count));
  if (parts === 1) return runRangeWith(range, runOne);
  const size = Math.ceil(range.count / parts);
  const slices: SeedRange<Bug>[] = [];
  for (let from = range.from; from < range.from + range.count; from += size) {
    slices.push({ from, count: Math.min(size, range.from + range.count - from), plantedBug: range.plantedBug });
  }
  const results = await Promise.all(slices.map((slice) => runInWorker(slice, entry)));
  const failures = results.flatMap((r) => (r.failure ? [r.failure] : [])).sort((a, b) => a.seed - b.seed);
  return {
    ran: results.reduce((n, r) => n + r.ran, 0),
    events: results.reduce((n, r) => n + r.events, 0),
    committed: results.reduce((n, r) => n + r.committed, 0),
    aborted: results.reduce((n, r) => n + r.aborted, 0),
    failure: failures[0],
  };
}

function runInWorker(range: SeedRange<string>, entry: URL): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    // The boot module registers tsx in the worker, then loads the entry.
    const worker = new Worker(new URL("./range-worker-boot.mjs", import.meta.url), { workerData: { ...range, entry: entry.href } });
    worker.once("message", (message: RangeResult) => resolve(message));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`simulation worker exited with code ${code}`));
    });
  });
}

/** Reads a worker's range (what runInWorker passed), keeping only a planted bug `isBug` accepts. */
export function readWorkerRange<Bug extends string>(data: unknown, isBug: (name: string) => name is Bug): SeedRange<Bug> {
  if (typeof data !== "object" || data === null) throw new TypeError("worker needs a seed range");
  const from: unknown = Reflect.get(data, "from");
  const count: unknown = Reflect.get(data, "count");
  const bug: unknown = Reflect.get(data, "plantedBug");
  if (typeof from !== "number" || typeof count !== "number") throw new TypeError("worker needs from and count");
  return { from, count, plantedBug: typeof bug === "string" && isBug(bug) ? bug : undefined };
}

// ---- the engine's own schedules (toy domain) ----

const runToy: RunOne<PlantedBug> = (seed, plantedBug) => runSchedule({ seed, plantedBug });

export function runRange(range: SeedRange): Promise<RangeResult> {
  return runRangeWith(range, runToy);
}

export function runRangeInWorkers(range: SeedRange, workers: number): Promise<RangeResult> {
  return runRangeInWorkersWith(range, workers, new URL("./range-worker.ts", import.meta.url), runToy);
}
