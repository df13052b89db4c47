// Ranges of product schedules, in this thread or over worker threads (lib/twopc/sim/run-seeds.ts).
import { runRangeInWorkersWith, runRangeWith, type RangeResult, type RunOne, type SeedRange } from "@/lib/twopc/sim/run-seeds";
import { runProductSchedule, type SimBug } from "./product-schedule";

const runOne: RunOne<SimBug> = (seed, plantedBug) => runProductSchedule({ seed, plantedBug });

export function runProductRange(range: SeedRange<SimBug>): Promise<RangeResult> {
  return runRangeWith(range, runOne);
}

export function runProductRangeInWorkers(range: SeedRange<SimBug>, workers: number): Promise<RangeResult> {
  return runRangeInWorkersWith(range, workers, new URL("./range-worker.ts", import.meta.url), runOne);
}
