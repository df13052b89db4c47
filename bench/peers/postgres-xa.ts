// The peer people would build instead of groupshot's 2PC: one Node coordinator driving XA-style
// two-phase commit on four PostgreSQL clusters — PREPARE TRANSACTION on all four in parallel,
// the decision logged durably in SQLite (WAL, synchronous=FULL, as a site logs its own), then
// COMMIT PREPARED on all four. Each transaction writes the row a create-event writes (the Event
// table's columns, a fresh id each time) on every cluster.
//
// Latency is the *ack*: from the start until the decision is durable, the moment groupshot
// answers a user too; the second phase runs after it, as groupshot's DECISION messages do.
// Throughput counts a transaction only when it is committed everywhere (COMMIT PREPARED done on
// all four), over the wall time until the last one is.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { Pool, type PoolClient } from "pg";
import { summarize, type Summary } from "../lib/stats";
import { runClosedLoop } from "../lib/load";
import { cpuMs } from "../lib/cluster";
import { deadlineIn, type BenchContext } from "../context";
import { ensurePostgres, PostgresClusters } from "../lib/postgres-clusters";

export type PeerRun = {
  concurrency: number;
  /** Start → decision durable (what a user would wait for). */
  ackMs: Summary;
  /** Start → COMMIT PREPARED done on every cluster. */
  committedMs: Summary;
  committedPerSecond: number;
  failures: number;
  /** CPU of the coordinator (this process, during the run) and of every PostgreSQL process, per transaction. */
  cpuMsPerTransaction: number | null;
};
export type PostgresPeerResult = { version: string; clusters: number; settings: Record<string, string>; c1: PeerRun; c16: PeerRun } | { skipped: string };

const SCHEMA = `CREATE TABLE IF NOT EXISTS event (
  id text PRIMARY KEY, title text NOT NULL, home_site text NOT NULL, creator_id text NOT NULL,
  creator_name text NOT NULL, created_at_ms bigint NOT NULL, montage_version integer NOT NULL DEFAULT 0,
  published_version integer, published_at_ms bigint)`;

/** Settings that decide durability and cost, read back from the clusters for the report. */
const REPORTED_SETTINGS = ["fsync", "synchronous_commit", "wal_sync_method", "full_page_writes", "shared_buffers", "max_prepared_transactions"];

export async function measurePostgresPeer(ctx: BenchContext, sizes: { c1: number; c16: number; warmUp: number; budgetMs: number }): Promise<PostgresPeerResult> {
  const installed = ensurePostgres(ctx.log);
  if ("skipped" in installed) {
    ctx.notes.push(installed.skipped);
    return installed;
  }
  const group = await PostgresClusters.start({ bin: installed.bin, count: 4, processes: ctx.processes });
  const decisionLog = new Database(join(ctx.root, "xa-coordinator.db"));
  // Pools large enough that no transaction waits for a connection at c=16.
  const pools = group.clusters.map((c) => new Pool({ host: "127.0.0.1", port: c.port, user: "postgres", database: "postgres", max: 20 }));
  try {
    decisionLog.pragma("journal_mode = WAL");
    decisionLog.pragma("synchronous = FULL");
    decisionLog.exec(`CREATE TABLE decision (gid TEXT PRIMARY KEY, outcome TEXT NOT NULL, atMs INTEGER NOT NULL)`);
    const logDecision = decisionLog.prepare(`INSERT INTO decision (gid, outcome, atMs) VALUES (?, ?, ?)`);
    await Promise.all(pools.map((p) => p.query(SCHEMA)));
    const version = ((await pools[0]?.query<{ server_version: string }>("SHOW server_version"))?.rows[0]?.server_version ?? "unknown").split(" ")[0] ?? "unknown";
    const settings = Object.fromEntries(((await pools[0]?.query<{ name: string; setting: string; unit: string | null }>("SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)", [REPORTED_SETTINGS]))?.rows ?? []).map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]));
    const coordinator = new XaCoordinator(pools, (gid) => logDecision.run(gid, "commit", Date.now()));
    const pids = group.clusters.map((c) => c.process.pid);
    ctx.log(`  PostgreSQL ${version}: four clusters on ports ${group.clusters.map((c) => c.port).join(", ")}`);
    await runPeer(coordinator, { concurrency: 16, total: sizes.warmUp, budgetMs: sizes.budgetMs, pids });
    const c1 = await runPeer(coordinator, { concurrency: 1, total: sizes.c1, budgetMs: sizes.budgetMs / 3, pids });
    const c16 = await runPeer(coordinator, { concurrency: 16, total: sizes.c16, budgetMs: (2 * sizes.budgetMs) / 3, pids });
    return { version, clusters: group.clusters.length, settings, c1, c16 };
  } finally {
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
    decisionLog.close();
    await group.stop();
  }
}

/** CPU ms of PostgreSQL: every process of each cluster (postmaster and its backends, found through /proc). */
function postgresCpuMs(postmasters: Array<number | undefined>): number | null {
  const all = new Set(postmasters.filter((p): p is number => p !== undefined));
  let total = 0;
  for (const pid of childrenOf(all)) total += cpuMs(pid) ?? 0;
  // Backends that exited during the run are counted in the postmaster's cutime/cstime.
  for (const pid of all) total += childCpuMs(pid) ?? 0;
  return total;
}

function childrenOf(parents: Set<number>): number[] {
  const out = [...parents];
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (parents.has(ppid)) out.push(Number(entry));
      } catch {
        // gone
      }
    }
  } catch {
    // no /proc
  }
  return out;
}

function childCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // cutime, cstime
  } catch {
    return null;
  }
}

async function runPeer(coordinator: XaCoordinator, options: { concurrency: number; total: number; budgetMs: number; pids: Array<number | undefined> }): Promise<PeerRun> {
  const committed: number[] = [];
  const cpuStart = process.cpuUsage();
  const pgCpuStart = postgresCpuMs(options.pids);
  const start = performance.now();
  const run = await runClosedLoop({
    total: options.total,
    concurrency: options.concurrency,
    deadline: deadlineIn(options.budgetMs),
    minimum: Math.ceil(options.total / 3),
    op: async () => {
      const tx = await coordinator.run();
      void tx.committed.then(
        (ms) => committed.push(ms),
        () => undefined, // counted by the coordinator
      );
      return tx.ackMs;
    },
  });
  await coordinator.drain();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const pgCpuEnd = postgresCpuMs(options.pids);
  const pgCpu = pgCpuStart === null || pgCpuEnd === null ? null : pgCpuEnd - pgCpuStart;
  const done = committed.length;
  return {
    concurrency: options.concurrency,
    ackMs: summarize(run.latenciesMs),
    committedMs: summarize(committed),
    committedPerSecond: (done * 1000) / wallMs,
    failures: run.failures.length + coordinator.takeFailures(),
    cpuMsPerTransaction: pgCpu === null || done === 0 ? null : ((cpu.user + cpu.system) / 1000 + pgCpu) / done,
  };
}

/**
 * The coordinator: phase one on every cluster in one round trip each (BEGIN; INSERT; PREPARE
 * TRANSACTION as one simple-protocol query), the durable decision, then phase two in the
 * background. At most 2 × the clients' transactions are in their second phase at once (the
 * clusters hold MAX_PREPARED_TRANSACTIONS): past that a new transaction waits for room.
 */
class XaCoordinator {
  private readonly inSecondPhase = new Set<Promise<unknown>>();
  private failures = 0;
  private seq = 0;
  private readonly runId = randomUUID().slice(0, 8);

  constructor(
    private readonly pools: Pool[],
    private readonly logDecision: (gid: string) => void,
    private readonly maxSecondPhase = 32,
  ) {}

  async run(): Promise<{ ackMs: number; committed: Promise<number> }> {
    while (this.inSecondPhase.size >= this.maxSecondPhase) await Promise.race(this.inSecondPhase);
    const gid = `gs-${this.runId}-${this.seq++}`;
    const eventId = `ev_${randomUUID()}`;
    const start = performance.now();
    const prepared = await Promise.allSettled(this.pools.map((pool) => prepareOn(pool, gid, eventId)));
    const failed = prepared.find((p) => p.status === "rejected");
    if (failed) {
      // Presumed abort: no decision record; roll back what did prepare.
      await Promise.all(this.pools.map((pool, i) => (prepared[i]?.status === "fulfilled" ? pool.query(`ROLLBACK PREPARED '${gid}'`).catch(() => undefined) : undefined)));
      throw new Error(`PREPARE failed: ${String(failed.reason)}`);
    }
    this.logDecision(gid);
    const ackMs = performance.now() - start;
    const committed = Promise.all(this.pools.map((pool) => pool.query(`COMMIT PREPARED '${gid}'`))).then(
      () => performance.now() - start,
      (error: unknown) => {
        this.failures += 1;
        throw error;
      },
    );
    const tracked = committed.catch(() => undefined).finally(() => this.inSecondPhase.delete(tracked));
    this.inSecondPhase.add(tracked);
    return { ackMs, committed };
  }

  async drain(): Promise<void> {
    await Promise.all(this.inSecondPhase);
  }

  takeFailures(): number {
    const n = this.failures;
    this.failures = 0;
    return n;
  }
}

async function prepareOn(pool: Pool, gid: string, eventId: string): Promise<void> {
  const client: PoolClient = await pool.connect();
  try {
    const row = [eventId, "bench event", "s0", "u_bench", "Bench", String(Date.now())].map((v) => client.escapeLiteral(v));
    await client.query(`BEGIN; INSERT INTO event (id, title, home_site, creator_id, creator_name, created_at_ms) VALUES (${row.join(", ")}); PREPARE TRANSACTION '${gid}'`);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
