// Deterministic simulation of the 2PC engine: `npm run simulate -- --seeds N [--from S] [--plant BUG] [--trace]`.
// Runs seeds S .. S+N-1; on the first violation prints the seed and its transcript (replay with
// `--from <seed> --seeds 1`) and exits non-zero. The last line is always
// `simulated N schedules, V violations`.
import { isPlantedBug, PLANTED_BUGS, type PlantedBug } from "@/lib/twopc/sim/planted-bugs";
import { runSchedule } from "@/lib/twopc/sim/schedule";

interface Args {
  seeds: number;
  from: number;
  plant: PlantedBug | undefined;
  trace: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { seeds: 1_000, from: 1, plant: undefined, trace: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === "--trace") {
      args.trace = true;
      continue;
    }
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i += 1;
    if (flag === "--seeds" || flag === "--from") {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < (flag === "--seeds" ? 1 : 0)) throw new Error(`${flag} must be an integer`);
      if (flag === "--seeds") args.seeds = n;
      else args.from = n;
    } else if (flag === "--plant") {
      if (!isPlantedBug(value)) throw new Error(`--plant must be one of ${PLANTED_BUGS.join(", ")}`);
      args.plant = value;
    } else {
      throw new Error(`unknown flag ${flag}`);
    }
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const startedMs = Date.now();
  let violations = 0;
  let ran = 0;
  let events = 0;
  let committed = 0;
  let aborted = 0;
  for (let seed = args.from; seed < args.from + args.seeds; seed++) {
    const result = await runSchedule({ seed, plantedBug: args.plant, trace: args.trace });
    ran += 1;
    events += result.stats.events;
    committed += result.stats.committed;
    aborted += result.stats.aborted;
    if (args.trace) console.log(result.trace.join("\n"));
    if (result.violations.length === 0) continue;
    violations += result.violations.length;
    // Replay with the transcript on: the same seed runs the same schedule.
    const replay = args.trace ? result : await runSchedule({ seed, plantedBug: args.plant, trace: true });
    if (!args.trace) console.log(replay.trace.join("\n"));
    console.log(`\nFAILED seed ${seed}: ${result.violations[0] ?? ""}`);
    console.log(`replay: npm run simulate -- --from ${seed} --seeds 1${args.plant ? ` --plant ${args.plant}` : ""} --trace`);
    break;
  }
  const seconds = (Date.now() - startedMs) / 1000;
  console.log(`${(ran / seconds).toFixed(0)} schedules/s, ${events} events, ${committed} txns committed, ${aborted} aborted, ${seconds.toFixed(1)}s`);
  console.log(`simulated ${ran} schedules, ${violations} violations`);
  return violations === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
