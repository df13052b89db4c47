import type Database from "better-sqlite3";
import { z } from "zod";
import { badRequest } from "@/lib/errors";

import { answerOf, type Answer, type CommandResult } from "./answer";

export type { Answer };

const stored = z.object({ status: z.number().int(), body: z.string() });
const keyFormat = /^[A-Za-z0-9._:-]{8,100}$/;
/** Stored answers older than this are forgotten. */
const KEEP_MS = 24 * 3_600_000;

/**
 * Stores a provisional answer for the running request: called by the action right after it
 * began its transaction (before anything can have been decided), so a retry after a crash of
 * this site finds the transaction id and asks the engine for its outcome instead of acting again.
 */
export type Remember = (answer: Answer) => void;

/**
 * `Idempotency-Key` support: the first request with a key runs; a retry with the same key
 * (double click, reload, a client retrying after a timeout or a lost answer) gets the stored
 * answer, and one arriving while the first still runs waits for it. Keys are scoped per user
 * and operation. A provisional answer (see Remember) is kept durably while the request runs:
 * if this site dies before answering, the retry is answered from the transaction's outcome;
 * `refresh` turns a stored answer into the current one, or null when the attempt came to
 * nothing (aborted) and the request may run again.
 */
export class Idempotency {
  private readonly inFlight = new Map<string, Promise<Answer>>();
  private readonly s;
  private writes = 0;

  /** `maxRows`: stored answers kept at most (the oldest go first), checked every 1,000 writes. */
  constructor(db: Database.Database, private readonly maxRows = 100_000) {
    this.s = {
      get: db.prepare(`SELECT status, body FROM "IdempotentRequest" WHERE key = ?`),
      put: db.prepare(`INSERT OR REPLACE INTO "IdempotentRequest" (key, status, body, createdAtMs) VALUES (?, ?, ?, ?)`),
      forget: db.prepare(`DELETE FROM "IdempotentRequest" WHERE key = ?`),
      prune: db.prepare(`DELETE FROM "IdempotentRequest" WHERE createdAtMs < ?`),
      trim: db.prepare(`DELETE FROM "IdempotentRequest" WHERE rowid IN (SELECT rowid FROM "IdempotentRequest" ORDER BY createdAtMs DESC, rowid DESC LIMIT -1 OFFSET ?)`),
    };
  }

  /** `run` for a command that answers a typed result and remembers its pending one. */
  runCommand<T>(
    options: { header: string | null; scope: string; refresh?: (answer: Answer) => Answer | null },
    command: (remember: (pending: CommandResult<T>) => void) => Promise<CommandResult<T>>,
  ): Promise<Answer> {
    return this.run(options, async (remember) => answerOf(await command((pending) => remember(answerOf(pending)))));
  }

  async run(
    options: { header: string | null; scope: string; refresh?: (answer: Answer) => Answer | null },
    action: (remember: Remember) => Promise<Answer>,
  ): Promise<Answer> {
    if (options.header === null) return action(() => undefined);
    if (!keyFormat.test(options.header)) throw badRequest("Idempotency-Key must be 8 to 100 letters, digits, '.', '_', ':' or '-'.");
    const key = `${options.scope}|${options.header}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const previous = stored.safeParse(this.s.get.get(key));
    if (previous.success) {
      const answer = { status: previous.data.status, body: JSON.parse(previous.data.body) as unknown };
      const current = options.refresh ? options.refresh(answer) : answer;
      if (current) return current;
      this.s.forget.run(key);
    }
    const remember: Remember = (answer) => {
      this.s.put.run(key, answer.status, JSON.stringify(answer.body), Date.now());
    };
    const run = action(remember).then(
      (answer) => {
        // Only answers that did something are kept: a refused request may be retried and succeed.
        if (answer.status < 300) this.s.put.run(key, answer.status, JSON.stringify(answer.body), Date.now());
        else this.s.forget.run(key);
        if (++this.writes % 1_000 === 0) {
          this.s.prune.run(Date.now() - KEEP_MS);
          this.s.trim.run(this.maxRows);
        }
        return answer;
      },
      (error: unknown) => {
        this.s.forget.run(key);
        throw error;
      },
    );
    this.inFlight.set(key, run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(key);
    }
  }
}
