import Database from "better-sqlite3";

/**
 * Opens a site's SQLite database for durable writes: WAL journal, synchronous=FULL (a commit
 * returns only after its fsync, which the 2PC log relies on), a busy timeout for the second
 * connection Prisma Client holds, and foreign keys on.
 */
export function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  return db;
}
