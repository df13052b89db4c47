import type Database from "better-sqlite3";
import type { SqliteRow } from "@/lib/db/sqlite-row";
import type { InboxModel, OutboxModel, QuarantineModel, TxLogModel } from "@/lib/generated/prisma/models";
import { openRoleChange } from "@/lib/twopc/history";
import { logRecordSchema, type LogRecord } from "@/lib/twopc/log-records";
import { messageSchema, type Message } from "@/lib/twopc/messages";
import type { OutboxRow, QuarantineRow, Store, StoreTx, TransactOptions } from "@/lib/twopc/ports/store";
import type { SiteId, TxId } from "@/lib/twopc/types";

/** The engine's store transaction, plus the database handle the domain writes through. */
export interface SqliteTx extends StoreTx {
  readonly db: Database.Database;
  readonly nowMs: number;
}

type LogRow = Pick<SqliteRow<TxLogModel>, "body">;
type OutboxDbRow = Pick<SqliteRow<OutboxModel>, "peer" | "key" | "message">;
type ReceiptRow = Pick<SqliteRow<InboxModel>, "reply">;
type QuarantineDbRow = Omit<SqliteRow<QuarantineModel>, "txId" | "type">;
type SeqRow = { seq: number | bigint };

/**
 * The engine's durable store on the site's SQLite database (WAL, synchronous=FULL): a
 * `transact` returns only after its commit is fsynced, so whatever the step logged is durable
 * before the runtime lets any message leave.
 */
export class SqliteStore implements Store<SqliteTx> {
  private inTransaction = false;
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: () => number = Date.now,
  ) {
    this.statements = {
      appendLog: db.prepare(`INSERT INTO "TxLog" (txId, kind, version, body, atMs) VALUES (?, ?, ?, ?, ?)`),
      readUnsettledLog: db.prepare(`SELECT body FROM "TxLog" WHERE txId IN (SELECT txId FROM "TxOpen") ORDER BY seq`),
      logFor: db.prepare(`SELECT body FROM "TxLog" WHERE txId = ? ORDER BY seq`),
      openTx: db.prepare(`INSERT OR IGNORE INTO "TxOpen" (txId, role) VALUES (?, ?)`),
      settleTx: db.prepare(`DELETE FROM "TxOpen" WHERE txId = ? AND role = ?`),
      highWater: db.prepare(
        `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'TxLog'), 0),
                    coalesce((SELECT prunedUpToSeq FROM "TxLogHorizon" WHERE id = 1), 0)) AS seq`,
      ),
      prunedUpTo: db.prepare(`SELECT coalesce((SELECT prunedUpToSeq FROM "TxLogHorizon" WHERE id = 1), 0) AS seq`),
      scanLog: db.prepare(`SELECT seq, txId FROM "TxLog" WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`),
      logTail: db.prepare(`SELECT seq, atMs FROM "TxLog" WHERE txId = ? ORDER BY seq DESC LIMIT 1`),
      forgetLog: db.prepare(`DELETE FROM "TxLog" WHERE txId = ?`),
      forgetOpen: db.prepare(`DELETE FROM "TxOpen" WHERE txId = ?`),
      raiseHorizon: db.prepare(
        `INSERT INTO "TxLogHorizon" (id, prunedUpToSeq) VALUES (1, ?)
         ON CONFLICT (id) DO UPDATE SET prunedUpToSeq = max(prunedUpToSeq, excluded.prunedUpToSeq)`,
      ),
      upsertOutbox: db.prepare(
        `INSERT INTO "Outbox" (peer, key, message, createdAtMs) VALUES (?, ?, ?, ?)
         ON CONFLICT (peer, key) DO UPDATE SET message = excluded.message, createdAtMs = excluded.createdAtMs`,
      ),
      deleteOutbox: db.prepare(`DELETE FROM "Outbox" WHERE peer = ? AND key = ?`),
      deleteOutboxMessage: db.prepare(`DELETE FROM "Outbox" WHERE peer = ? AND key = ? AND json_extract(message, '$.msgId') = ?`),
      readOutbox: db.prepare(`SELECT peer, key, message FROM "Outbox" ORDER BY createdAtMs, peer, key`),
      getReceipt: db.prepare(`SELECT reply FROM "Inbox" WHERE peer = ? AND msgId = ?`),
      putReceipt: db.prepare(`INSERT OR REPLACE INTO "Inbox" (peer, msgId, reply, atMs) VALUES (?, ?, ?, ?)`),
      pruneReceipts: db.prepare(`DELETE FROM "Inbox" WHERE atMs < ?`),
      trimReceipts: db.prepare(`DELETE FROM "Inbox" WHERE rowid IN (SELECT rowid FROM "Inbox" ORDER BY atMs DESC, rowid DESC LIMIT -1 OFFSET ?)`),
      quarantine: db.prepare(
        `INSERT INTO "Quarantine" (peer, msgId, txId, type, error, message, firstAtMs, lastAtMs, hits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
         ON CONFLICT (peer, msgId) DO UPDATE SET error = excluded.error, lastAtMs = excluded.lastAtMs, hits = hits + 1`,
      ),
      trimQuarantine: db.prepare(
        `DELETE FROM "Quarantine" WHERE rowid NOT IN (SELECT rowid FROM "Quarantine" ORDER BY lastAtMs DESC, rowid DESC LIMIT ?)`,
      ),
      readQuarantine: db.prepare(`SELECT peer, msgId, error, message, firstAtMs, lastAtMs, hits FROM "Quarantine" ORDER BY lastAtMs DESC, rowid DESC`),
    };
  }

  transact<T>(fn: (tx: SqliteTx) => T, options: TransactOptions = {}): T {
    if (this.inTransaction) throw new Error("SqliteStore.transact is not reentrant");
    this.inTransaction = true;
    // WAL with synchronous=NORMAL commits without an fsync; the next FULL commit fsyncs the WAL,
    // and with it every frame before it, so an unforced transaction is never reordered or torn.
    const unforced = options.durable === false;
    if (unforced) this.db.pragma("synchronous = NORMAL");
    try {
      const tx = this.createTx(this.clock());
      return this.db.transaction(() => fn(tx)).immediate();
    } finally {
      if (unforced) this.db.pragma("synchronous = FULL");
      this.inTransaction = false;
    }
  }

  private createTx(nowMs: number): SqliteTx {
    const s = this.statements;
    const parseLog = (rows: unknown[]): LogRecord[] => rows.map((row) => logRecordSchema.parse(JSON.parse((row as LogRow).body)));
    return {
      db: this.db,
      nowMs,
      appendLog: (record: LogRecord) => {
        s.appendLog.run(record.txId, record.kind, record.v, JSON.stringify(record), nowMs);
        const open = openRoleChange(record);
        if (open?.open === true) s.openTx.run(record.txId, open.role);
        else if (open) s.settleTx.run(record.txId, open.role);
      },
      readUnsettledLog: () => parseLog(s.readUnsettledLog.all()),
      logFor: (txId: TxId) => parseLog(s.logFor.all(txId)),
      logHighWater: () => Number((s.highWater.get() as SeqRow).seq),
      prunedUpTo: () => Number((s.prunedUpTo.get() as SeqRow).seq),
      scanLog: (afterSeq: number, upToSeq: number, limit: number) => {
        const rows = s.scanLog.all(afterSeq, upToSeq, limit) as Pick<SqliteRow<TxLogModel>, "seq" | "txId">[];
        return { txIds: [...new Set(rows.map((r) => r.txId))], lastSeq: rows.at(-1)?.seq };
      },
      logTail: (txId: TxId) => {
        const row = s.logTail.get(txId) as Pick<SqliteRow<TxLogModel>, "seq" | "atMs"> | undefined;
        return row ? { seq: row.seq, atMs: Number(row.atMs) } : undefined;
      },
      forgetLog: (txIds: readonly TxId[], upToSeq: number) => {
        for (const txId of txIds) {
          s.forgetLog.run(txId);
          s.forgetOpen.run(txId);
        }
        s.raiseHorizon.run(upToSeq);
      },
      upsertOutbox: (row: OutboxRow) => {
        s.upsertOutbox.run(row.peer, row.key, JSON.stringify(row.msg), nowMs);
      },
      deleteOutbox: (peer: SiteId, key: string, msgId?: string) => {
        if (msgId === undefined) s.deleteOutbox.run(peer, key);
        else s.deleteOutboxMessage.run(peer, key, msgId);
      },
      readOutbox: () =>
        s.readOutbox.all().map((row) => {
          const r = row as OutboxDbRow;
          return { peer: r.peer, key: r.key, msg: messageSchema.parse(JSON.parse(r.message)) };
        }),
      getReceipt: (from: SiteId, msgId: string): Message | undefined => {
        const row = s.getReceipt.get(from, msgId) as ReceiptRow | undefined;
        return row ? messageSchema.parse(JSON.parse(row.reply)) : undefined;
      },
      putReceipt: (from: SiteId, msgId: string, reply: Message, atMs: number) => {
        s.putReceipt.run(from, msgId, JSON.stringify(reply), atMs);
      },
      pruneReceipts: (beforeMs: number, keepRows: number) => {
        s.pruneReceipts.run(beforeMs);
        s.trimReceipts.run(keepRows);
      },
      quarantine: (entry: { from: SiteId; msg: Message; error: string; atMs: number }, keepRows: number) => {
        const { from, msg, error, atMs } = entry;
        s.quarantine.run(from, msg.msgId, msg.txId, msg.type, error, JSON.stringify(msg), atMs, atMs);
        s.trimQuarantine.run(keepRows);
      },
      readQuarantine: (): QuarantineRow[] =>
        s.readQuarantine.all().map((row) => {
          const r = row as QuarantineDbRow;
          const msg = messageSchema.parse(JSON.parse(r.message));
          return { from: r.peer, msgId: r.msgId, txId: msg.txId, type: msg.type, error: r.error, firstAtMs: Number(r.firstAtMs), lastAtMs: Number(r.lastAtMs), hits: r.hits, msg };
        }),
    };
  }
}
