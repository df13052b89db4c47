// Two builds of the site, A and B, in one sitting: four-site clusters started from each build
// folder in turn (A B B A per round, so a drift of the host's load falls on both alike),
// create-event at the engine level and through the API, c=16 and c=1, with the CPU the four
// sites used per transaction. For a change to the request path: build the old code into one
// folder and the new into another, then
//   npx tsx bench/ab.ts --a .next-bench-base --b .next-bench [--rounds 2] [--n 400] [--fsyncs]
// --fsyncs also counts fsync/fdatasync calls per transaction on every site (strace -f -c attached
// during an extra, untimed engine-level c=16 run per build; strace slows the sites, so those
// runs are not in the timings). Prints a markdown table with B ÷ A per round and its range.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { BenchCluster } from "./lib/cluster";
import { SiteClient } from "./lib/client";
import { ProcessRegistry } from "./lib/processes";
import { measureCreateEvent, type LatencyRun } from "./phases/create-event";
import { measureEngineLevel } from "./phases/engine-level";
import type { BenchContext } from "./context";

const { values } = parseArgs({ options: { a: { type: "string" }, b: { type: "string" }, rounds: { type: "string", default: "2" }, n: { type: "string", default: "400" }, fsyncs: { type: "boolean", default: false } } });
const repoRoot = resolve(__dirname, "..");
const builds = { A: values.a ?? "", B: values.b ?? "" };
for (const dir of Object.values(builds)) if (!dir || !existsSync(join(repoRoot, dir, "BUILD_ID"))) throw new Error(`--a and --b name build folders with a build (next build with GROUPSHOT_DIST_DIR); got ${JSON.stringify(builds)}`);
const n = Number(values.n);
const figures = ["engine c=16", "API c=16", "engine c=1", "API c=1"] as const;
type Row = Record<(typeof figures)[number], LatencyRun>;

async function measure(ctx: BenchContext, label: "A" | "B"): Promise<Row> {
  const cluster = await BenchCluster.start({ name: `${label}-${Date.now()}`, count: 4, root: ctx.root, processes: ctx.processes, env: { GROUPSHOT_DIST_DIR: builds[label] } });
  try {
    const clients = await clientsOf(cluster);
    for (let i = 0; i < 40; i++) await clients[i % 4]?.createEvent(`warm-up ${i}`);
    const sizes = { c1: Math.ceil(n / 4), c16: n, budgetMs: 120_000 };
    const engine = await measureEngineLevel(ctx, cluster, clients, sizes);
    const api = await measureCreateEvent(ctx, cluster, clients, sizes);
    return { "engine c=16": engine.c16, "API c=16": api.c16, "engine c=1": engine.c1, "API c=1": api.c1 };
  } finally {
    await cluster.stop();
  }
}

async function clientsOf(cluster: BenchCluster): Promise<SiteClient[]> {
  const first = await SiteClient.join("s0", cluster.sites[0]?.url ?? "", "Bench");
  return cluster.sites.map((s) => first.on(s.siteId, s.url));
}

/** fsync + fdatasync calls per engine-level transaction, per site, under strace (untimed). */
async function fsyncsPerTransaction(ctx: BenchContext, label: "A" | "B"): Promise<string> {
  const cluster = await BenchCluster.start({ name: `${label}-strace-${Date.now()}`, count: 4, root: ctx.root, processes: ctx.processes, env: { GROUPSHOT_DIST_DIR: builds[label] } });
  try {
    const clients = await clientsOf(cluster);
    for (let i = 0; i < 20; i++) await clients[i % 4]?.createEvent(`warm-up ${i}`);
    const traces = cluster.sites.map((site) => {
      const child = spawn("strace", ["-f", "-c", "-e", "trace=fsync,fdatasync", "-p", String(site.process.pid)], { stdio: ["ignore", "ignore", "pipe"] });
      ctx.processes.add(child);
      let text = "";
      child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      return { siteId: site.siteId, child, done: new Promise<string>((ok) => child.once("exit", () => ok(text))) };
    });
    await new Promise((ok) => setTimeout(ok, 1_000)); // attached
    const count = 200;
    const run = await measureEngineLevel(ctx, cluster, clients, { c1: 1, c16: count, budgetMs: 300_000 });
    for (const t of traces) t.child.kill("SIGINT");
    const texts = await Promise.all(traces.map((t) => t.done));
    const per = texts.map((text, i) => {
      const calls = [...text.matchAll(/^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(fsync|fdatasync)$/gm)].reduce((t, m) => t + Number(m[1]), 0);
      return `${traces[i]?.siteId} ${(calls / (run.c16.latencyMs.n + run.c1.latencyMs.n)).toFixed(2)}`;
    });
    return `${label}: fsyncs per transaction (engine c=16, n=${run.c16.latencyMs.n}): ${per.join(", ")}`;
  } finally {
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const processes = new ProcessRegistry();
  const root = mkdtempSync(join(tmpdir(), "groupshot-ab-"));
  processes.installSignalHandlers(() => rmSync(root, { recursive: true, force: true }));
  const ctx: BenchContext = { quick: false, root, processes, notes: [], log: (m) => console.log(`ab: ${m}`) };
  const load = [loadavg()[0]];
  try {
    const rounds: { A: Row; B: Row }[] = [];
    for (let r = 0; r < Number(values.rounds); r++) {
      const order: ("A" | "B")[] = r % 2 === 0 ? ["A", "B"] : ["B", "A"];
      const round: Partial<{ A: Row; B: Row }> = {};
      for (const label of order) {
        ctx.log(`round ${r + 1}: ${label} (${builds[label]}) ...`);
        round[label] = await measure(ctx, label);
      }
      rounds.push(round as { A: Row; B: Row });
    }
    load.push(loadavg()[0]);
    const lines = [`A = ${builds.A}, B = ${builds.B}; ${rounds.length} rounds, load average ${load.map((x) => x?.toFixed(1)).join(" → ")}`, "", "| figure | round | A tx/s | B tx/s | A CPU ms/tx | B CPU ms/tx | A p50 ms | B p50 ms | A p99 ms | B p99 ms | B ÷ A tx/s | B ÷ A CPU/tx | B ÷ A p50 |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|"];
    for (const figure of figures) {
      rounds.forEach(({ A, B }, i) => {
        const [a, b] = [A[figure], B[figure]];
        const f = (x: number | null) => (x === null ? "n/a" : x.toFixed(x >= 100 ? 0 : 1));
        lines.push(`| ${figure} | ${i + 1} | ${f(a.committedPerSecond)} | ${f(b.committedPerSecond)} | ${f(a.cpuMsPerTransaction)} | ${f(b.cpuMsPerTransaction)} | ${f(a.latencyMs.p50)} | ${f(b.latencyMs.p50)} | ${f(a.latencyMs.p99)} | ${f(b.latencyMs.p99)} | ${(b.committedPerSecond / a.committedPerSecond).toFixed(2)} | ${((b.cpuMsPerTransaction ?? NaN) / (a.cpuMsPerTransaction ?? NaN)).toFixed(2)} | ${(b.latencyMs.p50 / a.latencyMs.p50).toFixed(2)} |`);
      });
    }
    if (values.fsyncs) for (const label of ["A", "B"] as const) lines.push("", await fsyncsPerTransaction(ctx, label));
    console.log(`\n${lines.join("\n")}\n`);
  } finally {
    await processes.stopAll();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`ab: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
