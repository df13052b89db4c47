// The durable store the runtime needs. Small on purpose: the production implementation
// (better-sqlite3, WAL, synchronous=FULL) is written against this file.
//
// Contract:
// - `transact(fn)` runs `fn` synchronously inside ONE store transaction and returns its value only
//   after the transaction is durable (fsynced). If `fn` throws, nothing it wrote is kept and the error
//   propagates. Transactions are never nested and never span an `await`.
// - The domain port receives the same `tx` handle, so domain writes commit or vanish together with
//   the log records and outbox rows of the same step. The production `Tx` type therefore extends
//   StoreTx with whatever the domain needs (e.g. the database handle).
// - Reads inside `fn` see the writes made earlier in the same `fn`.
// - `{ durable: false }` is for bookkeeping whose loss only costs a retry (the coordinator's
//   `ended` record and the outbox rows its ACKs clear): the transaction is still atomic and ordered
//   before every later one, but it is not fsynced, so a power failure (not a process crash) may
//   lose it until the next durable transaction, which makes it durable too.
import type { LogRecord } from "../log-records";
import type { Message, MessageType } from "../messages";
import type { SiteId, TxId } from "../types";

/** A durable outbox row: the newest message for slot (peer, key), retried until the peer replies. */
export interface OutboxRow {
  peer: SiteId;
  key: string;
  msg: Message;
}

/**
 * An inbound request whose step threw (a poison message): kept for an operator instead of taking
 * the site down on every retry. One row per (from, msgId); a repeat bumps `hits` and `lastAtMs`.
 */
export interface QuarantineRow {
  from: SiteId;
  msgId: string;
  txId: TxId;
  type: MessageType;
  /** What the step threw (its message, bounded). */
  error: string;
  firstAtMs: number;
  lastAtMs: number;
  hits: number;
  msg: Message;
}

export interface StoreTx {
  /** Appends one record to the log (append order is the replay order). */
  appendLog(record: LogRecord): void;
  /**
   * The records, in append order, of the txns not settled here: prepared and not yet committed or
   * aborted, or decided (not fenced) and not yet ended. What recovery reads at start: its cost
   * follows the unsettled txns, not the history (SQL keeps a small table of them, `TxOpen`).
   */
  readUnsettledLog(): readonly LogRecord[];
  /** The records of one txn in append order (an index on txId in SQL). */
  logFor(txId: TxId): readonly LogRecord[];

  // ---- pruning (docs/PROTOCOL.md, "Pruning the log") ----
  /** The seq of the newest record ever appended, or the pruning horizon if higher: never decreases. */
  logHighWater(): number;
  /** The pruning horizon: every record forgotten so far had a seq at most this (0: nothing pruned). */
  prunedUpTo(): number;
  /**
   * The distinct txIds of the records with `afterSeq < seq <= upToSeq`, in seq order, looking at
   * no more than `limit` records; `lastSeq` is the seq of the last record looked at (the cursor
   * of the next scan), undefined when there were none.
   */
  scanLog(afterSeq: number, upToSeq: number, limit: number): { txIds: TxId[]; lastSeq: number | undefined };
  /** The seq and append time (ms) of a txn's newest record. */
  logTail(txId: TxId): { seq: number; atMs: number } | undefined;
  /** Deletes every record of these txns and raises the pruning horizon to `upToSeq`. */
  forgetLog(txIds: readonly TxId[], upToSeq: number): void;

  /** Inserts or replaces the row of slot (peer, key). */
  upsertOutbox(row: OutboxRow): void;
  /**
   * Deletes the row of slot (peer, key) if there is one — with `msgId`, only while the row still
   * holds that message: a reply to an older message must never delete the newer one in its slot.
   */
  deleteOutbox(peer: SiteId, key: string, msgId?: string): void;
  /** Every outbox row; read at start and when a domain transaction enqueued APP messages. */
  readOutbox(): readonly OutboxRow[];

  /** The stored reply to message `msgId` from `from`, if it was handled before (inbox dedup). */
  getReceipt(from: SiteId, msgId: string): Message | undefined;
  /** Records that `msgId` from `from` was handled and what was answered. Unique on (from, msgId). */
  putReceipt(from: SiteId, msgId: string, reply: Message, atMs: number): void;
  /**
   * Forgets receipts older than `beforeMs`, and beyond the `keepRows` newest (bounded table;
   * handlers stay idempotent without them).
   */
  pruneReceipts(beforeMs: number, keepRows: number): void;

  /**
   * Records a poison message (or one more arrival of it) and keeps only the `keepRows` most
   * recently seen rows: the table is bounded whatever the peers send.
   */
  quarantine(entry: { from: SiteId; msg: Message; error: string; atMs: number }, keepRows: number): void;
  /** The quarantined messages, most recently seen first; read at start. */
  readQuarantine(): readonly QuarantineRow[];
}

export interface TransactOptions {
  /** Default true: returns only once fsynced. */
  durable?: boolean;
}

export interface Store<Tx extends StoreTx = StoreTx> {
  transact<T>(fn: (tx: Tx) => T, options?: TransactOptions): T;
}
