import type Database from "better-sqlite3";

/** `fresh`: first use, now remembered; `replayed`: seen before; `full`: the table is at its bound (retry shortly). */
export type NonceVerdict = "fresh" | "replayed" | "full";

/**
 * The nonces of accepted signed calls, in the site's database, so replay protection survives a
 * restart (docs/PROTOCOL.md, "Signed internal calls"). A nonce is kept until its call's timestamp
 * turns stale (`expiresAtMs`); from then the timestamp check refuses the call anyway, so a row
 * is pruned then. Bounded: at `maxEntries` live rows a new call is refused (`full`) rather than
 * an old nonce forgotten early.
 *
 * Each insert is an unforced commit (no fsync of its own): it survives a crash of the process
 * (SIGKILL), and a power failure can lose it only together with every later database effect of
 * the same call, since the WAL makes a later forced commit durable with everything before it.
 * A replay after that can only do again what was lost with it.
 */
export class NonceStore {
  private readonly statements;
  private live: number;
  private lastPruneMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: {
      db: Database.Database;
      /** Runs `fn` in one unforced write transaction of the site's writer connection. */
      transactUnforced: <T>(fn: () => T) => T;
      maxEntries: number;
      /** How often expired rows are deleted (at most; also when the table is at its bound). */
      pruneEveryMs?: number;
    },
  ) {
    const db = options.db;
    this.statements = {
      insert: db.prepare(`INSERT INTO "InternalNonce" (site, nonce, expiresAtMs) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),
      prune: db.prepare(`DELETE FROM "InternalNonce" WHERE expiresAtMs < ?`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM "InternalNonce"`),
    };
    this.live = (this.statements.count.get() as { n: number }).n;
  }

  /** Records `(site, nonce)` until `expiresAtMs`; says whether it was new. */
  remember(site: string, nonce: string, expiresAtMs: number, nowMs: number): NonceVerdict {
    return this.options.transactUnforced(() => {
      if (this.live >= this.options.maxEntries || nowMs - this.lastPruneMs >= (this.options.pruneEveryMs ?? 1_000)) this.prune(nowMs);
      if (this.live >= this.options.maxEntries) return "full";
      if (this.statements.insert.run(site, nonce, expiresAtMs).changes === 0) return "replayed";
      this.live += 1;
      return "fresh";
    });
  }

  /** Live rows (for tests and the status of the bound). */
  size(): number {
    return this.live;
  }

  private prune(nowMs: number): void {
    this.live -= this.statements.prune.run(nowMs).changes;
    this.lastPruneMs = nowMs;
  }
}
