// The chaos runner as part of the suite: 60 seconds of faults (SIGKILL + restart, SIGSTOP,
// partitions, crash points) under a workload on all four sites, then the SPEC §4 checks.
// CHAOS_SEED and CHAOS_SECONDS override the defaults; a failure prints the seed to replay with
// `npx tsx scripts/chaos.ts --seconds S --seed N`.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { test, expect } from "@playwright/test";

const seconds = Number(process.env.CHAOS_SECONDS ?? "60");
const seed = Number(process.env.CHAOS_SEED ?? "20261122");

test(`chaos: ${seconds} s of faults under load, then every site agrees (seed ${seed})`, async ({ browserName: _ }, testInfo) => {
  testInfo.setTimeout((seconds + 600) * 1_000);
  const root = resolve(__dirname, "..", "..");
  const child = spawn(resolve(root, "node_modules", ".bin", "tsx"), ["scripts/chaos.ts", "--seconds", String(seconds), "--seed", String(seed)], {
    cwd: root,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    const code = await new Promise<number | null>((done) => child.once("exit", (c) => done(c)));
    await testInfo.attach("chaos output", { body: output, contentType: "text/plain" });
    const lines = output.trim().split("\n");
    const last = lines[lines.length - 1] ?? "";
    const figures = /^chaos: (\d+) faults, (\d+) transactions, (\d+) violations$/.exec(last);
    expect(figures, `last line: ${last}`).not.toBeNull();
    const [, faults, transactions, violations] = figures!.map(Number);
    testInfo.annotations.push({ type: "chaos", description: last });
    expect(violations, lines.filter((l) => l.includes("VIOLATION")).join("\n")).toBe(0);
    expect(code).toBe(0);
    // At least one fault every two seconds, and real work done.
    expect(faults).toBeGreaterThanOrEqual(Math.floor(seconds / 2));
    expect(transactions).toBeGreaterThan(0);
  } finally {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, "SIGINT"); // the runner stops every site it started
      await new Promise((done) => child.once("exit", done));
    }
  }
});
