// Benchmarks against the physical floor and the tools people would use instead:
//   npx tsx scripts/bench.ts [--quick] [--no-build] [--profile] [--base-port P]
// Starts its own sites (four, then one) on free loopback ports with fresh data in a temp folder,
// from its own build folder (GROUPSHOT_DIST_DIR, default .next-bench), and stops every process it
// started, also on failure or Ctrl-C. Writes bench/results/latest.json and latest.md.
// --profile also CPU-profiles every site during each measured phase (timings are then perturbed:
// use it to find a cause, not for the table) and writes bench/results/profile.md.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { ProcessRegistry } from "../bench/lib/processes";
import { PhaseSampler } from "../bench/lib/resources";
import { summarizeProfile } from "../bench/lib/cpu-profile";
import { runBench } from "../bench/run";
import { useBasePort } from "../bench/lib/ports";
import { renderMarkdown } from "../bench/report";
import { buildState, runNextBuild } from "./lib/build";

const repoRoot = resolve(__dirname, "..");
const resultsDir = join(repoRoot, "bench", "results");
const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, "no-build": { type: "boolean", default: false }, profile: { type: "boolean", default: false }, "base-port": { type: "string" } } });
if (values["base-port"] !== undefined) useBasePort(Number(values["base-port"]));

process.env.GROUPSHOT_DIST_DIR ||= ".next-bench";
const distDir = process.env.GROUPSHOT_DIST_DIR;
const log = (message: string) => console.log(`bench: ${message}`);

function buildIfNeeded(): { builtThisRun: boolean; buildMs: number | null } {
  const build = buildState(distDir);
  if (build.fresh || (values["no-build"] && build.exists)) return { builtThisRun: false, buildMs: null };
  if (values["no-build"]) throw new Error(`no build in ${distDir}; run without --no-build`);
  log(`building into ${distDir} (next build) ...`);
  const start = performance.now();
  if (!runNextBuild()) throw new Error("next build failed");
  return { builtThisRun: true, buildMs: performance.now() - start };
}

/**
 * A command from a Debian package (ImageMagick's `montage`, libheif's `heif-enc`): installed
 * with apt-get when it is missing and the bench runs as root; otherwise the comparison that
 * needs it is skipped with one note.
 */
function ensureDebianTool(command: string, pkg: string, what: string, notes: string[]): boolean {
  const has = () => spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).status === 0;
  if (has()) return true;
  if (process.getuid?.() !== 0) {
    notes.push(`${command} (Debian's ${pkg}) is not installed and the bench is not running as root: ${what} was skipped (apt-get install -y ${pkg} to enable it).`);
    return false;
  }
  log(`installing ${pkg} (apt-get update && apt-get install -y ${pkg}) ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update"], { stdio: "inherit", env });
  const install = update.status === 0 ? spawnSync("apt-get", ["install", "-y", pkg], { stdio: "inherit", env }) : update;
  if (install.status === 0 && has()) return true;
  notes.push(`${pkg} could not be installed with apt-get: ${what} was skipped.`);
  return false;
}

async function main(): Promise<void> {
  const processes = new ProcessRegistry();
  const root = mkdtempSync(join(tmpdir(), "groupshot-bench-"));
  processes.installSignalHandlers((signal) => {
    console.error(`bench: ${signal}, stopping every process it started ...`);
    rmSync(root, { recursive: true, force: true });
  });
  const notes: string[] = [];
  try {
    const build = buildIfNeeded();
    const imagemagick = ensureDebianTool("montage", "imagemagick", "the montage comparison with ImageMagick", notes);
    const heifEnc = ensureDebianTool("heif-enc", "libheif-examples", "the HEIC upload cost", notes);
    if (values.profile) {
      PhaseSampler.profileDir = join(root, "profiles");
      mkdirSync(PhaseSampler.profileDir, { recursive: true });
    }
    const results = await runBench({
      quick: values.quick,
      root,
      processes,
      log,
      notes,
      imagemagick,
      heifEnc,
      build: { distDir, ...build },
      siteEnv: values.profile ? { NODE_OPTIONS: `--import ${join(repoRoot, "bench", "lib", "cpu-profiler-preload.mjs")}`, GROUPSHOT_CPU_PROFILE_DIR: PhaseSampler.profileDir ?? "" } : {},
    });
    mkdirSync(resultsDir, { recursive: true });
    const markdown = renderMarkdown(results);
    if (values.profile) {
      writeFileSync(join(resultsDir, "profile.md"), profileReport(PhaseSampler.profileDir ?? ""));
      log("profiled run: bench/results/profile.md (latest.json and latest.md are kept for unprofiled runs)");
    } else {
      writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync(join(resultsDir, "latest.md"), markdown);
    }
    console.log(`\n${markdown}`);
    log(`done in ${(results.runtimeMs / 1000).toFixed(0)} s`);
  } finally {
    await processes.stopAll();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Top self time per phase, summed over the sites: where the sites' CPU (and blocking) went. */
function profileReport(dir: string): string {
  const lines = ["# CPU profiles of the sites, per measured phase", "", "Self time summed over the four sites; `busy` counts every non-idle sample, including time blocked in native calls (fsync)."];
  const byPhase = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile") && f.includes("--"))) {
    const phase = file.split("--")[0] ?? file;
    byPhase.set(phase, [...(byPhase.get(phase) ?? []), join(dir, file)]);
  }
  for (const [phase, files] of byPhase) {
    const summaries = files.map((f) => summarizeProfile(f, 40));
    const add = (key: "topStacks" | "byPackage" | "topFunctions") => {
      const total = new Map<string, number>();
      for (const s of summaries) for (const e of s[key]) total.set(e.name, (total.get(e.name) ?? 0) + e.selfMs);
      return [...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    };
    const busy = summaries.reduce((t, s) => t + s.busyMs, 0);
    const wall = summaries.reduce((t, s) => t + s.wallMs, 0);
    lines.push("", `## ${phase}`, "", `${files.length} sites, ${(wall / 1000).toFixed(1)} s profiled in all, busy ${(busy / 1000).toFixed(1)} s, GC ${(summaries.reduce((t, s) => t + s.gcMs, 0) / 1000).toFixed(1)} s.`, "");
    for (const [title, key] of [["repo call stack (3 nearest repo frames)", "topStacks"], ["function", "topFunctions"], ["package", "byPackage"]] as const) {
      lines.push(`| ${title} | self ms | share of busy |`, "|---|---|---|");
      for (const [name, ms] of add(key)) lines.push(`| ${name.replace(/\|/g, "\\|")} | ${ms.toFixed(0)} | ${((100 * ms) / busy).toFixed(1)} % |`);
      lines.push("");
    }
  }
  return `${lines.join("\n")}\n`;
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
