import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";

export const defaultMigrationsDir = join(process.cwd(), "prisma", "migrations");

/** Prisma's own bookkeeping table, so Prisma's tooling sees the database as up to date. */
const createMigrationsTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export type Migration = { name: string; sql: string; checksum: string };

export function readMigrations(dir = defaultMigrationsDir): Migration[] {
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(/*turbopackIgnore: true*/ join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Applies the migrations not yet recorded, in order, each in its own transaction. Foreign keys
 * are switched off around the transaction (SQLite ignores the pragma inside one, and Prisma's
 * table-redefining migrations would otherwise fire ON DELETE actions), and checked before
 * commit. A recorded migration whose file changed stops the site: history is never rewritten.
 */
export function migrate(db: Database.Database, migrations = readMigrations()): string[] {
  db.exec(createMigrationsTable);
  const applied = new Map(
    db
      .prepare(`SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`)
      .all()
      .map((row) => {
        const { name, checksum } = row as { name: string; checksum: string };
        return [name, checksum] as const;
      }),
  );
  const newlyApplied: string[] = [];
  for (const migration of migrations) {
    const recorded = applied.get(migration.name);
    if (recorded !== undefined) {
      if (recorded !== migration.checksum) {
        throw new Error(`migration ${migration.name} was changed after it was applied`);
      }
      continue;
    }
    db.pragma("foreign_keys = OFF");
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        const violations = db.pragma("foreign_key_check") as unknown[];
        if (violations.length > 0) throw new Error(`migration ${migration.name} breaks foreign keys`);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES (?, ?, current_timestamp, ?, 1)`,
        ).run(randomUUID(), migration.checksum, migration.name);
      })();
    } finally {
      db.pragma("foreign_keys = ON");
    }
    newlyApplied.push(migration.name);
  }
  return newlyApplied;
}
