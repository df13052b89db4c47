import Database from "better-sqlite3";
import { AppError } from "@/lib/errors";
import { TwoPcError } from "@/lib/twopc/errors";

/** SQLite result codes that say "the database cannot take this now", not "this request is wrong". */
const STORAGE_NOT_NOW = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY|PROTOCOL|NOMEM)(_|$)/;

/**
 * An error raised below the product (the 2PC engine, SQLite) as the AppError a person gets:
 * `overloaded` or `engine_unavailable` or `storage_unavailable`, each a 503 with Retry-After
 * (lib/http/status.ts), definite (nothing was started). Anything else is returned as it is
 * (an AppError keeps its code; an unknown error stays a bug, a 500, logged).
 */
export function appErrorOf(error: unknown): unknown {
  if (error instanceof TwoPcError) {
    const message =
      error.code === "overloaded"
        ? "This site has as much queued for another site as it holds; nothing was started. Try again shortly."
        : "This site's transaction engine is not running right now; nothing was started. Try again shortly.";
    return new AppError(error.code === "overloaded" ? "overloaded" : "engine_unavailable", message, { cause: error });
  }
  if (error instanceof Database.SqliteError && STORAGE_NOT_NOW.test(error.code)) {
    return new AppError("storage_unavailable", "This site's database cannot take this right now; nothing was changed. Try again shortly.", { cause: error });
  }
  return error;
}
