// Start-up after a long history (issue 12 item 12, SPEC §7: "a site's start-up time does not grow
// with its history"). Two one-site clusters from the same build: one with an empty log, one whose
// data folder is given `transactions` settled create-event transactions (log records, TxOpen
// bookkeeping and Event rows, written straight through the real SqliteStore while the site is
// down). Each is then restarted `repeats` times, alternately, and timed from spawn until GET
// /api/health answers; the figure is the ratio of the medians (history / empty).
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase } from "../../lib/db/open-database";
import { repoOf } from "../../lib/product/repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import type { LogRecord } from "../../lib/twopc/log-records";
import { BenchCluster, type BenchSite } from "../lib/cluster";
import { summarize, type Summary } from "../lib/stats";
import type { BenchContext } from "../context";

export type StartupHistoryResult = { transactions: number; writeMs: number; logRows: number; emptyMs: Summary; historyMs: Summary; ratio: number };

const BATCH = 5_000;

export async function measureStartupHistory(ctx: BenchContext, sizes: { transactions: number; repeats: number }, env: Record<string, string> = {}): Promise<StartupHistoryResult> {
  const empty = await BenchCluster.start({ name: "startup-empty", count: 1, root: ctx.root, processes: ctx.processes, env });
  try {
    const full = await BenchCluster.start({ name: "startup-history", count: 1, root: ctx.root, processes: ctx.processes, env });
    try {
      const [emptySite, fullSite] = [empty.site("s0"), full.site("s0")];
      await Promise.all([emptySite.process.stop(), fullSite.process.stop()]);
      const written = writeHistory(join(fullSite.dataDir, "site.db"), sizes.transactions);
      ctx.log(`  ${sizes.transactions} settled transactions (${written.logRows} log rows) written in ${(written.writeMs / 1000).toFixed(1)} s`);
      const times = { empty: [] as number[], history: [] as number[] };
      for (let i = 0; i < sizes.repeats; i++) {
        times.empty.push(await timeStart(emptySite));
        times.history.push(await timeStart(fullSite));
      }
      const [emptyMs, historyMs] = [summarize(times.empty), summarize(times.history)];
      const result = { transactions: sizes.transactions, ...written, emptyMs, historyMs, ratio: historyMs.p50 / emptyMs.p50 };
      ctx.log(`  start-up: empty log p50 ${result.emptyMs.p50.toFixed(0)} ms, after ${sizes.transactions} transactions p50 ${result.historyMs.p50.toFixed(0)} ms (${result.ratio.toFixed(2)}x)`);
      ctx.notes.push(
        `start-up after ${sizes.transactions.toLocaleString("en")} settled transactions: median ${historyMs.p50.toFixed(0)} ms vs ${emptyMs.p50.toFixed(0)} ms with an empty log, ${result.ratio.toFixed(2)}x (${sizes.repeats} alternate restarts of two one-site clusters, spawn until GET /api/health answers, polled every 100 ms)`,
      );
      return result;
    } finally {
      await full.stop();
    }
  } finally {
    await empty.stop();
  }
}

/** Spawn to ready, then stopped again. */
async function timeStart(site: BenchSite): Promise<number> {
  const start = performance.now();
  site.process.start();
  await site.process.waitReady(120_000);
  const ms = performance.now() - start;
  await site.process.stop();
  return ms;
}

/** `count` create-event transactions coordinated by s0 and committed, in both roles, as the engine logs them. */
function writeHistory(path: string, count: number): { writeMs: number; logRows: number } {
  const start = performance.now();
  const db = openDatabase(path);
  try {
    const store = new SqliteStore(db);
    const repo = repoOf(db);
    for (let from = 0; from < count; from += BATCH) {
      store.transact(
        (tx) => {
          for (let i = from; i < Math.min(count, from + BATCH); i++) {
            const eventId = `ev_hist${String(i).padStart(8, "0")}`;
            const txId = `s0.hist-${i}`;
            const data = { eventId, title: `History ${i}`, homeSite: "s0", creatorId: "u_bench", creatorName: "Bench", createdAtMs: 1_700_000_000_000 + i, minContributors: 1 };
            const records: LogRecord[] = [
              { v: 1, kind: "participant.prepared", txId, coordinator: "s0", participants: ["s0"], change: { key: eventId, kind: "create-event", data } },
              { v: 1, kind: "coordinator.decided", txId, decision: "commit", participants: ["s0"], votes: { s0: "yes" }, fenced: false },
              { v: 1, kind: "participant.committed", txId },
              { v: 1, kind: "coordinator.ended", txId },
            ];
            for (const record of records) tx.appendLog(record);
            repo.insertEvent(data);
          }
        },
        { durable: false },
      );
    }
    db.pragma("wal_checkpoint(TRUNCATE)");
    const logRows = db.prepare(`SELECT count(*) FROM "TxLog"`).pluck().get() as number;
    const open = db.prepare(`SELECT count(*) FROM "TxOpen"`).pluck().get() as number;
    if (open !== 0) throw new Error(`history left ${open} unsettled txns`);
    return { writeMs: performance.now() - start, logRows };
  } finally {
    db.close();
  }
}
