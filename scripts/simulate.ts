// Deterministic simulation of the product (lib/product's domain, round step and ballot casting)
// over the 2PC engine (lib/twopc), four sites with every fault the simulator knows:
//   npm run simulate -- --seeds N [--from S] [--workers W] [--plant BUG] [--trace]
// Runs seeds S .. S+N-1 (split over W worker threads; the result does not depend on W). On a
// violation it prints the lowest failing seed with its transcript, replayable with
// `--from <seed> --seeds 1 --trace`, and exits 1. The last line is always
// `simulated N schedules, V violations`.
import { availableParallelism } from "node:os";
import { PLANTED_BUGS } from "@/lib/twopc/sim/planted-bugs";
import { PRODUCT_BUGS } from "@/lib/sim/product-bugs";
import { isSimBug, runProductSchedule, type SimBug } from "@/lib/sim/product-schedule";
import { runProductRangeInWorkers } from "@/lib/sim/run-product-seeds";

type PlantedBug = SimBug;

interface Args {
  seeds: number;
  from: number;
  workers: number;
  plant: PlantedBug | undefined;
  trace: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { seeds: 1_000, from: 1, workers: availableParallelism(), plant: undefined, trace: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--trace") {
      args.trace = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--plant") {
      if (!isSimBug(value)) throw new Error(`--plant must be one of ${[...PLANTED_BUGS, ...PRODUCT_BUGS].join(", ")}`);
      args.plant = value;
      continue;
    }
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${flag} needs a whole number`);
    if (flag === "--seeds" && n > 0) args.seeds = n;
    else if (flag === "--from") args.from = n;
    else if (flag === "--workers" && n > 0) args.workers = n;
    else throw new Error(`unknown flag or bad value: ${flag} ${value}`);
  }
  return args;
}

/** Prints one seed's full transcript (the run is a pure function of the seed). */
async function printTranscript(seed: number, plant: PlantedBug | undefined): Promise<string[]> {
  const replay = await runProductSchedule({ seed, plantedBug: plant, trace: true });
  console.log(replay.trace.join("\n"));
  return replay.violations;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const startedMs = Date.now();
  if (args.trace && args.seeds === 1) {
    const violations = await printTranscript(args.from, args.plant);
    console.log(`simulated 1 schedules, ${violations.length} violations`);
    return violations.length === 0 ? 0 : 1;
  }
  const result = await runProductRangeInWorkers({ from: args.from, count: args.seeds, plantedBug: args.plant }, args.workers);
  const seconds = (Date.now() - startedMs) / 1000;
  let violations = 0;
  if (result.failure) {
    const { seed } = result.failure;
    violations = result.failure.violations.length;
    await printTranscript(seed, args.plant);
    console.log(`\nFAILED seed ${seed}:`);
    for (const violation of result.failure.violations.slice(0, 5)) console.log(`  ${violation.split("\n")[0] ?? ""}`);
    console.log(`replay: npm run simulate -- --from ${seed} --seeds 1 --trace${args.plant ? ` --plant ${args.plant}` : ""}`);
  }
  console.log(
    `${(result.ran / seconds).toFixed(0)} schedules/s on ${args.workers} worker(s), ${seconds.toFixed(1)}s; ` +
      `${result.events} events; txns: ${result.committed} committed, ${result.aborted} aborted`,
  );
  console.log(`simulated ${result.ran} schedules, ${violations} violations`);
  return violations === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
