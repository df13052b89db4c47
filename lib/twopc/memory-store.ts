// In-memory Store for tests and the simulator. Committed data survives a simulated crash (the
// object outlives the node); a transaction that throws leaves nothing behind, like an unsynced write.
// It also holds a small key/value area for an in-memory domain, in the same transactions.
import { invariant } from "./errors";
import { openRoleChange } from "./history";
import type { LogRecord } from "./log-records";
import type { Message } from "./messages";
import type { OutboxRow, QuarantineRow, Store, StoreTx, TransactOptions } from "./ports/store";
import type { Json, SiteId, TxId } from "./types";

interface Receipt {
  reply: Message;
  atMs: number;
}

interface LogEntry {
  seq: number;
  atMs: number;
  record: LogRecord;
}

interface Committed {
  /** The log as the runtime sees it: pruned txns are gone. */
  log: LogEntry[];
  byTx: Map<TxId, LogEntry[]>;
  lastSeq: number;
  prunedUpTo: number;
  /** Every record ever appended, pruned ones included: ground truth for the simulator's checkers only. */
  ever: LogRecord[];
  everByTx: Map<TxId, LogRecord[]>;
  outbox: Map<string, OutboxRow>;
  receipts: Map<string, Receipt>;
  quarantine: Map<string, QuarantineRow>;
  kv: Map<string, Json>;
}

const DELETED = Symbol("deleted");
type Overlay<V> = Map<string, V | typeof DELETED>;

function slot(peer: SiteId, key: string): string {
  return `${peer}\u0000${key}`;
}

export class MemoryTx implements StoreTx {
  private readonly appended: LogEntry[] = [];
  private readonly forgotten = new Set<TxId>();
  private horizon = 0;
  private readonly outbox: Overlay<OutboxRow> = new Map();
  private readonly receipts: Overlay<Receipt> = new Map();
  private readonly kv: Overlay<Json> = new Map();
  private readonly quarantined: { row: QuarantineRow; keepRows: number }[] = [];
  private pruneBeforeMs: number | undefined;
  private keepReceipts: number | undefined;

  constructor(
    private readonly base: Committed,
    private readonly nowMs: number,
  ) {}

  appendLog(record: LogRecord): void {
    this.appended.push({ seq: this.base.lastSeq + this.appended.length + 1, atMs: this.nowMs, record });
  }

  private entriesFor(txId: TxId): LogEntry[] {
    if (this.forgotten.has(txId)) return [];
    const committed = this.base.byTx.get(txId) ?? [];
    const fresh = this.appended.filter((e) => e.record.txId === txId);
    return fresh.length === 0 ? committed : [...committed, ...fresh];
  }

  private entries(): LogEntry[] {
    return [...this.base.log, ...this.appended].filter((e) => !this.forgotten.has(e.record.txId));
  }

  readUnsettledLog(): readonly LogRecord[] {
    const open = new Set<string>();
    for (const { record } of this.entries()) {
      const change = openRoleChange(record);
      if (!change) continue;
      const key = `${record.txId}\u0000${change.role}`;
      if (change.open) open.add(key);
      else open.delete(key);
    }
    const unsettled = new Set([...open].map((key) => key.slice(0, key.indexOf("\u0000"))));
    return this.entries().filter((e) => unsettled.has(e.record.txId)).map((e) => e.record);
  }

  logFor(txId: TxId): readonly LogRecord[] {
    return this.entriesFor(txId).map((e) => e.record);
  }

  logHighWater(): number {
    return Math.max(this.base.lastSeq + this.appended.length, this.prunedUpTo());
  }

  prunedUpTo(): number {
    return Math.max(this.base.prunedUpTo, this.horizon);
  }

  scanLog(afterSeq: number, upToSeq: number, limit: number): { txIds: TxId[]; lastSeq: number | undefined } {
    const rows = this.entries().filter((e) => e.seq > afterSeq && e.seq <= upToSeq).slice(0, limit);
    return { txIds: [...new Set(rows.map((e) => e.record.txId))], lastSeq: rows.at(-1)?.seq };
  }

  logTail(txId: TxId): { seq: number; atMs: number } | undefined {
    const last = this.entriesFor(txId).at(-1);
    return last ? { seq: last.seq, atMs: last.atMs } : undefined;
  }

  forgetLog(txIds: readonly TxId[], upToSeq: number): void {
    for (const txId of txIds) this.forgotten.add(txId);
    this.horizon = Math.max(this.horizon, upToSeq);
  }

  upsertOutbox(row: OutboxRow): void {
    this.outbox.set(slot(row.peer, row.key), row);
  }

  deleteOutbox(peer: SiteId, key: string, msgId?: string): void {
    if (msgId !== undefined && this.currentOutbox(peer, key)?.msg.msgId !== msgId) return;
    this.outbox.set(slot(peer, key), DELETED);
  }

  private currentOutbox(peer: SiteId, key: string): OutboxRow | undefined {
    const k = slot(peer, key);
    const row = this.outbox.has(k) ? this.outbox.get(k) : this.base.outbox.get(k);
    return row === DELETED ? undefined : row;
  }

  readOutbox(): readonly OutboxRow[] {
    const merged = new Map<string, OutboxRow | typeof DELETED>(this.base.outbox);
    for (const [k, v] of this.outbox) merged.set(k, v);
    const rows: OutboxRow[] = [];
    for (const v of merged.values()) if (v !== DELETED) rows.push(v);
    return rows;
  }

  getReceipt(from: SiteId, msgId: string): Message | undefined {
    const k = slot(from, msgId);
    const local = this.receipts.get(k);
    if (local === DELETED) return undefined;
    return (local ?? this.base.receipts.get(k))?.reply;
  }

  putReceipt(from: SiteId, msgId: string, reply: Message, atMs: number): void {
    const k = slot(from, msgId);
    invariant(this.getReceipt(from, msgId) === undefined, `receipt ${msgId} from ${from} stored twice`);
    this.receipts.set(k, { reply, atMs });
  }

  pruneReceipts(beforeMs: number, keepRows: number): void {
    this.pruneBeforeMs = Math.max(this.pruneBeforeMs ?? -Infinity, beforeMs);
    this.keepReceipts = Math.min(this.keepReceipts ?? Infinity, keepRows);
  }

  quarantine(entry: { from: SiteId; msg: Message; error: string; atMs: number }, keepRows: number): void {
    const k = slot(entry.from, entry.msg.msgId);
    const earlier = this.quarantined.findLast((q) => slot(q.row.from, q.row.msgId) === k)?.row ?? this.base.quarantine.get(k);
    const row: QuarantineRow = {
      from: entry.from,
      msgId: entry.msg.msgId,
      txId: entry.msg.txId,
      type: entry.msg.type,
      error: entry.error,
      firstAtMs: earlier?.firstAtMs ?? entry.atMs,
      lastAtMs: entry.atMs,
      hits: (earlier?.hits ?? 0) + 1,
      msg: entry.msg,
    };
    this.quarantined.push({ row, keepRows });
  }

  readQuarantine(): readonly QuarantineRow[] {
    const merged = new Map(this.base.quarantine);
    for (const { row, keepRows } of this.quarantined) addQuarantined(merged, row, keepRows);
    return newestFirst(merged);
  }

  get(key: string): Json | undefined {
    const local = this.kv.get(key);
    if (local === DELETED) return undefined;
    return local ?? this.base.kv.get(key);
  }

  put(key: string, value: Json): void {
    this.kv.set(key, value);
  }

  delete(key: string): void {
    this.kv.set(key, DELETED);
  }

  /** Applies every buffered write to `target` (the visible state, and the synced one once durable). */
  commitInto(target: Committed): void {
    for (const entry of this.appended) {
      target.log.push(entry);
      pushTo(target.byTx, entry.record.txId, entry);
      target.ever.push(entry.record);
      pushTo(target.everByTx, entry.record.txId, entry.record);
    }
    target.lastSeq += this.appended.length;
    if (this.forgotten.size > 0) {
      target.log = target.log.filter((e) => !this.forgotten.has(e.record.txId));
      for (const txId of this.forgotten) target.byTx.delete(txId);
    }
    target.prunedUpTo = Math.max(target.prunedUpTo, this.horizon);
    applyOverlay(target.outbox, this.outbox);
    applyOverlay(target.receipts, this.receipts);
    applyOverlay(target.kv, this.kv);
    for (const { row, keepRows } of this.quarantined) addQuarantined(target.quarantine, row, keepRows);
    if (this.pruneBeforeMs !== undefined) {
      for (const [k, r] of target.receipts) if (r.atMs < this.pruneBeforeMs) target.receipts.delete(k);
    }
    if (this.keepReceipts !== undefined && target.receipts.size > this.keepReceipts) {
      // The newest stay (by time, then the later written): the map keeps insertion order.
      const newestFirst = [...target.receipts].map(([k, r], i) => ({ k, atMs: r.atMs, i })).sort((a, b) => b.atMs - a.atMs || b.i - a.i);
      for (const { k } of newestFirst.slice(this.keepReceipts)) target.receipts.delete(k);
    }
  }
}

function pushTo<V>(map: Map<TxId, V[]>, txId: TxId, value: V): void {
  const list = map.get(txId);
  if (list) list.push(value);
  else map.set(txId, [value]);
}

function applyOverlay<V>(target: Map<string, V>, overlay: Overlay<V>): void {
  for (const [k, v] of overlay) {
    if (v === DELETED) target.delete(k);
    else target.set(k, v);
  }
}

function newestFirst(rows: ReadonlyMap<string, QuarantineRow>): QuarantineRow[] {
  return [...rows.values()].sort((a, b) => b.lastAtMs - a.lastAtMs);
}

/** Upserts one quarantined message and drops the least recently seen beyond `keepRows`. */
function addQuarantined(target: Map<string, QuarantineRow>, row: QuarantineRow, keepRows: number): void {
  target.set(slot(row.from, row.msgId), row);
  if (target.size <= keepRows) return;
  for (const old of newestFirst(target).slice(keepRows)) target.delete(slot(old.from, old.msgId));
}

function emptyState(): Committed {
  return { log: [], byTx: new Map(), lastSeq: 0, prunedUpTo: 0, ever: [], everByTx: new Map(), outbox: new Map(), receipts: new Map(), quarantine: new Map(), kv: new Map() };
}

function copyState(state: Committed): Committed {
  return {
    log: [...state.log],
    byTx: new Map([...state.byTx].map(([txId, entries]) => [txId, [...entries]])),
    lastSeq: state.lastSeq,
    prunedUpTo: state.prunedUpTo,
    ever: [...state.ever],
    everByTx: new Map([...state.everByTx].map(([txId, records]) => [txId, [...records]])),
    outbox: new Map(state.outbox),
    receipts: new Map(state.receipts),
    quarantine: new Map(state.quarantine),
    kv: new Map(state.kv),
  };
}

export class MemoryStore implements Store<MemoryTx> {
  private committed: Committed = emptyState();
  /** What a power failure leaves: every durable transaction and the unforced ones before it. */
  private synced: Committed = emptyState();
  /** Unforced transactions since the last durable one, in order. */
  private unsynced: MemoryTx[] = [];
  private inTransaction = false;

  /** `nowMs` stamps each log record's append time (the pruning age); default 0. */
  constructor(private readonly options: { nowMs?: () => number } = {}) {}

  transact<T>(fn: (tx: MemoryTx) => T, options: TransactOptions = {}): T {
    invariant(!this.inTransaction, "nested store transaction");
    this.inTransaction = true;
    try {
      const tx = new MemoryTx(this.committed, this.options.nowMs?.() ?? 0);
      const value = fn(tx);
      tx.commitInto(this.committed);
      if (options.durable === false) {
        this.unsynced.push(tx);
      } else {
        for (const earlier of this.unsynced) earlier.commitInto(this.synced);
        this.unsynced = [];
        tx.commitInto(this.synced);
      }
      return value;
    } finally {
      this.inTransaction = false;
    }
  }

  /** The machine lost power (the simulator's harshest crash): unforced transactions not yet followed by a durable one are gone. */
  losePower(): number {
    const lost = this.unsynced.length;
    this.committed = copyState(this.synced);
    this.unsynced = [];
    return lost;
  }

  /** Test and checker access to committed data (never used by the runtime): every record ever appended, pruned ones too. */
  committedLog(): readonly LogRecord[] {
    return this.committed.ever;
  }

  /** Every record ever appended for `txId`, pruned ones too (the checkers' ground truth). */
  committedLogFor(txId: TxId): readonly LogRecord[] {
    return this.committed.everByTx.get(txId) ?? [];
  }

  /** Whether `txId`'s records were pruned (it has some in `committedLogFor`, none left in the log). */
  pruned(txId: TxId): boolean {
    return this.committed.everByTx.has(txId) && !this.committed.byTx.has(txId);
  }

  committedOutbox(): readonly OutboxRow[] {
    return [...this.committed.outbox.values()];
  }

  committedValue(key: string): Json | undefined {
    return this.committed.kv.get(key);
  }

  committedKeys(prefix: string): string[] {
    return [...this.committed.kv.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}
