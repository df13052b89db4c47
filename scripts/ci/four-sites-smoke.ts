// CI smoke test of the README's first command: `npm run sites` (build when needed, four sites),
// then one person joins on the first site and creates an event through the public API, the
// event is read back from the last site, and Ctrl-C (SIGINT to the launcher's process group, as
// a terminal sends it) must stop everything it started. Run by .ci/node24 on Node 24.
//   npx tsx scripts/ci/four-sites-smoke.ts [--timeout-s N] [--base-port P]   (default: free ports)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Person } from "../../e2e/support/api";
import { freePort } from "../../e2e/support/free-port";

const { values } = parseArgs({ options: { "timeout-s": { type: "string", default: "420" }, "base-port": { type: "string" } } });
const timeoutMs = Number(values["timeout-s"]) * 1000;
const repoRoot = resolve(__dirname, "..", "..");
const COUNT = 4;

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

/** A first port such that it and the next COUNT - 1 were free a moment ago. */
async function freeBasePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const base = await freePort();
    if (base + COUNT > 65535) continue;
    const rest = await Promise.all(Array.from({ length: COUNT - 1 }, (_, i) => portFree(base + 1 + i)));
    if (rest.every(Boolean)) return base;
  }
  throw new Error(`no ${COUNT} consecutive free loopback ports`);
}

/** Whether any process of group `pgid` is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const startedMs = Date.now();
  const deadlineMs = startedMs + timeoutMs;
  const dataDir = mkdtempSync(join(tmpdir(), "groupshot-smoke-"));
  const basePort = values["base-port"] ? Number(values["base-port"]) : await freeBasePort();
  const urls = Array.from({ length: COUNT }, (_, i) => `http://127.0.0.1:${basePort + i}`);
  const log: string[] = [];
  // Its own process group (detached), so that the group can be signalled and checked as a whole.
  const launcher = spawn("npm", ["run", "sites", "--", "--data", dataDir, "--base-port", String(basePort)], {
    cwd: repoRoot,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pgid = launcher.pid;
  if (pgid === undefined) throw new Error("npm run sites did not start");
  let exited = false;
  const exit = new Promise<void>((done) => launcher.once("exit", () => ((exited = true), done())));
  let ready = false;
  for (const stream of [launcher.stdout, launcher.stderr]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      log.push(chunk);
      if (chunk.includes(`sites: ${COUNT} sites up`)) ready = true;
    });
  }
  const fail = (message: string): never => {
    throw new Error(`${message}\n--- npm run sites output ---\n${log.join("").slice(-8000)}`);
  };

  try {
    while (!ready) {
      if (exited) fail("npm run sites exited before the sites were up");
      if (Date.now() > deadlineMs) fail(`the sites were not up within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const upMs = Date.now();
    const ana = await new Person("Ana", urls[0] ?? "").join();
    const eventId = await ana.createCommittedEvent("Node 24 smoke");
    // Committed means durable on every site; the last site shows it within moments.
    for (;;) {
      const seen = await ana.event(eventId, urls[COUNT - 1]);
      if (seen.ok && seen.data.title === "Node 24 smoke") break;
      if (Date.now() > deadlineMs) fail(`event ${eventId} never appeared on ${urls[COUNT - 1]}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(
      `smoke: ${COUNT} sites up after ${((upMs - startedMs) / 1000).toFixed(0)} s (build included), ` +
        `event ${eventId} created on ${urls[0]} and read on ${urls[COUNT - 1]}`,
    );
  } finally {
    // Ctrl-C: the terminal signals the whole foreground group; the launcher stops every site.
    if (groupAlive(pgid)) process.kill(-pgid, "SIGINT");
    const stopDeadlineMs = Date.now() + 30_000;
    while ((groupAlive(pgid) || !exited) && Date.now() < stopDeadlineMs) await new Promise((r) => setTimeout(r, 100));
    const leftOver = groupAlive(pgid);
    if (leftOver) {
      process.kill(-pgid, "SIGKILL");
      console.error("smoke: processes of npm run sites were still running 30 s after Ctrl-C (killed them)");
      process.exitCode = 1;
    }
    await exit;
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (process.exitCode !== 1) console.log("smoke: Ctrl-C stopped every process npm run sites started");
}

main().catch((error: unknown) => {
  console.error(`smoke: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
