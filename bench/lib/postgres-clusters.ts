// Throwaway PostgreSQL clusters on loopback for the XA peer: initdb into a fresh temp folder,
// each `postgres` on its own port (TCP on 127.0.0.1, its socket in its own folder), default
// settings except max_prepared_transactions. Stopped and deleted when the bench ends, also on
// failure or Ctrl-C (the process registry) and if the bench is SIGKILLed (a watchdog process
// that waits for the bench's PID to go, then stops the clusters and deletes the folder).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import type { ProcessRegistry } from "./processes";
import { benchPorts } from "./ports";

/** Prepared transactions a cluster may hold at once: the peer never has more than 2 × c=16 in flight. */
export const MAX_PREPARED_TRANSACTIONS = 64;

export type PostgresCluster = { port: number; dataDir: string; process: ChildProcess };

/** Where Debian's postgresql puts its binaries (newest major first), or null when it is not installed. */
export function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const majors = readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(root, major, "bin");
    if (existsSync(join(bin, "initdb")) && existsSync(join(bin, "postgres"))) return bin;
  }
  return null;
}

/**
 * Debian's postgresql: installed with apt-get when it is missing and the bench runs as root.
 * Returns the binaries' folder, or a sentence saying why the peer is skipped.
 */
export function ensurePostgres(log: (message: string) => void): { bin: string } | { skipped: string } {
  const found = postgresBinDir();
  if (found) return { bin: found };
  if (process.getuid?.() !== 0) return { skipped: "PostgreSQL is not installed and the bench is not running as root: the PostgreSQL XA peer was skipped (apt-get install -y postgresql to enable it)." };
  log("installing PostgreSQL (apt-get update && apt-get install -y postgresql) ...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update"], { stdio: "inherit", env });
  const install = update.status === 0 ? spawnSync("apt-get", ["install", "-y", "postgresql"], { stdio: "inherit", env }) : update;
  const bin = install.status === 0 ? postgresBinDir() : null;
  return bin ? { bin } : { skipped: "PostgreSQL could not be installed with apt-get: the PostgreSQL XA peer was skipped." };
}

/** The uid/gid to run PostgreSQL as: root may not, so the `postgres` user Debian's package creates. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) throw new Error("running as root, but there is no postgres user to run PostgreSQL as");
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export class PostgresClusters {
  private readonly logs: string[] = [];
  private stopped: Promise<void> | undefined;

  private constructor(
    readonly clusters: PostgresCluster[],
    private readonly root: string,
    private readonly processes: ProcessRegistry,
    private readonly watchdog: ChildProcess,
  ) {}

  static async start(options: { bin: string; count: number; processes: ProcessRegistry }): Promise<PostgresClusters> {
    const user = runAs();
    // Its own temp folder (the run's is private to root), owned by the user PostgreSQL runs as.
    const root = mkdtempSync(join(tmpdir(), "groupshot-bench-pg-"));
    if (user) chownSync(root, user.uid, user.gid);
    const spawnAs = (command: string, args: string[]) => spawn(join(options.bin, command), args, { stdio: ["ignore", "pipe", "pipe"], ...(user ?? {}), env: { ...process.env, LC_ALL: "C" } });
    // If the bench is SIGKILLed: stop the clusters (fast shutdown) and delete their folder.
    const watchdog = spawn("sh", ["-c", `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; for f in "$1"/pg*/postmaster.pid; do [ -f "$f" ] && kill -INT "$(head -1 "$f")"; done; sleep 5; rm -rf "$1"`, "watchdog", root], { stdio: "ignore", detached: true });
    watchdog.unref();
    const ports = await benchPorts(options.count);
    const dirs = ports.map((_, i) => join(root, `pg${i}`));
    const group = new PostgresClusters([], root, options.processes, watchdog);
    options.processes.addStoppable(group);
    try {
      // initdb without its own fsyncs: a throwaway cluster needs no durable catalog; every
      // commit the peer times is still fsynced (fsync=on, synchronous_commit=on: the defaults).
      await Promise.all(dirs.map((dir) => group.run(spawnAs("initdb", ["-D", dir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]), `initdb ${dir}`)));
      for (const [i, dir] of dirs.entries()) {
        const port = ports[i] as number;
        const child = spawnAs("postgres", ["-D", dir, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", `max_prepared_transactions=${MAX_PREPARED_TRANSACTIONS}`]);
        group.capture(child, `pg${i}`);
        group.clusters.push({ port, dataDir: dir, process: child });
      }
      await Promise.all(group.clusters.map((c) => waitReady(c, 30_000)));
    } catch (error) {
      await group.stop();
      throw new Error(`PostgreSQL clusters did not start: ${error instanceof Error ? error.message : String(error)}\n${group.logs.slice(-30).join("\n")}`, { cause: error });
    }
    return group;
  }

  /** Fast shutdown (SIGINT: running transactions aborted, prepared ones kept), then the folder goes. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      await Promise.all(
        this.clusters.map(async (c) => {
          if (c.process.exitCode !== null || c.process.signalCode !== null) return;
          const exited = new Promise<void>((done) => c.process.once("exit", () => done()));
          c.process.kill("SIGINT");
          const timer = setTimeout(() => c.process.kill("SIGKILL"), 10_000);
          await exited;
          clearTimeout(timer);
        }),
      );
      rmSync(this.root, { recursive: true, force: true });
      if (this.watchdog.pid !== undefined) {
        try {
          process.kill(-this.watchdog.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      this.processes.forgetStoppable(this);
    })();
    return this.stopped;
  }

  private capture(child: ChildProcess, name: string): void {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        for (const line of chunk.split("\n")) if (line) this.logs.push(`[${name}] ${line}`);
        if (this.logs.length > 2_000) this.logs.splice(0, 500);
      });
    }
  }

  private run(child: ChildProcess, what: string): Promise<void> {
    this.capture(child, what);
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${what} exited with ${code}`))));
    });
  }
}

async function waitReady(cluster: PostgresCluster, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (cluster.process.exitCode !== null) throw new Error(`postgres on port ${cluster.port} exited with ${cluster.process.exitCode}`);
    const client = new Client({ host: "127.0.0.1", port: cluster.port, user: "postgres", database: "postgres", connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres on port ${cluster.port} not ready within ${timeoutMs} ms`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
