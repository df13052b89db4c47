// Chaos runner: `npm run chaos -- --seconds S --seed N [--concurrency C] [--verbose] [--keep-data]`
// (or `npx tsx scripts/chaos.ts ...`). Starts four sites on free loopback ports with their own
// temporary data and a TCP proxy per directed link, drives simulated people through the public
// API on all sites at once, and injects a fault from the seed at least every two seconds
// (SIGKILL + restart, SIGSTOP/SIGCONT, partitions, crash points). Then it heals everything,
// waits for quiescence (bounded) and checks SPEC §4 on all four sites (scripts/chaos/checks.ts).
// The last line is exactly `chaos: F faults, T transactions, V violations`; the exit status is
// non-zero on any violation, and the seed to replay is printed. Uses the build in
// GROUPSHOT_DIST_DIR (default .next): run `next build` first.
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { reapOnSignals } from "../e2e/support/process-reaper";
import type { Cluster } from "../e2e/support/cluster";
import { runChaos } from "./chaos/run";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    seed: { type: "string" },
    concurrency: { type: "string", default: "4" },
    verbose: { type: "boolean", default: false },
    "keep-data": { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  console.error(`chaos: ${message}`);
  process.exit(2);
}

const seconds = Number(values.seconds);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3_600) fail("--seconds must be a whole number from 1 to 3600");
if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) fail("--seed must be a whole number from 0 to 2^32-1");
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) fail("--concurrency must be from 1 to 16");
const distDir = process.env.GROUPSHOT_DIST_DIR || ".next";
if (!existsSync(join(resolve(__dirname, ".."), distDir, "BUILD_ID"))) fail(`no build in ${distDir}: run \`next build\` first`);

/** The whole run is bounded: the faults, startup, calm, quiescence and checks. */
const runBoundMs = (seconds + 420) * 1_000;
const replay = `npx tsx scripts/chaos.ts --seconds ${seconds} --seed ${seed}`;

let cluster: Cluster | undefined;
reapOnSignals(async (signal) => {
  console.log(`chaos: ${signal}: stopped every site; replay with: ${replay}`);
  await cluster?.links?.close();
  if (cluster && !values["keep-data"]) rmSync(cluster.root, { recursive: true, force: true });
});

const watchdog = setTimeout(() => {
  console.log(`chaos: the run exceeded its bound of ${runBoundMs / 1_000} s (seed ${seed}); stopping every site`);
  console.log(`chaos: 0 faults, 0 transactions, 1 violations`);
  process.exit(1); // the exit hook kills every site started
}, runBoundMs);
watchdog.unref();

runChaos({ seconds, seed, concurrency, verbose: values.verbose, keepData: values["keep-data"], log: (line) => console.log(line) }, (c) => (cluster = c))
  .then((result) => {
    for (const line of result.summary) console.log(`chaos: ${line}`);
    for (const violation of result.violations.slice(0, 200)) console.log(`chaos: VIOLATION ${violation}`);
    if (result.violations.length > 0) {
      console.log(`chaos: FAILED with seed ${seed}; replay with: ${replay}`);
      console.log(`chaos: the sites' data folders are kept in ${result.dataDir}`);
    } else if (values["keep-data"]) {
      console.log(`chaos: data kept in ${result.dataDir}`);
    }
    console.log(`chaos: ${result.faults} faults, ${result.transactions} transactions, ${result.violations.length} violations`);
    process.exit(result.violations.length > 0 ? 1 : 0);
  })
  .catch((error: unknown) => {
    console.log(`chaos: the run itself failed (seed ${seed}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    console.log(`chaos: replay with: ${replay}`);
    console.log(`chaos: 0 faults, 0 transactions, 1 violations`);
    process.exit(1);
  });
