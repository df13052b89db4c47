import type Database from "better-sqlite3";
import { z } from "zod";
import { badRequest } from "@/lib/http/app-error";

export type Answer = { status: number; body: unknown };

const stored = z.object({ status: z.number().int(), body: z.string() });
const keyFormat = /^[A-Za-z0-9._:-]{8,100}$/;
/** Stored answers older than this are forgotten. */
const KEEP_MS = 24 * 3_600_000;

/**
 * `Idempotency-Key` support: the first request with a key runs; a retry with the same key
 * (double click, reload, a client retrying after a timeout) gets the stored answer, and one
 * arriving while the first still runs waits for it. Keys are scoped per user and operation.
 */
export class Idempotency {
  private readonly inFlight = new Map<string, Promise<Answer>>();
  private readonly s;
  private writes = 0;

  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare(`SELECT status, body FROM "IdempotentRequest" WHERE key = ?`),
      put: db.prepare(`INSERT OR REPLACE INTO "IdempotentRequest" (key, status, body, createdAtMs) VALUES (?, ?, ?, ?)`),
      prune: db.prepare(`DELETE FROM "IdempotentRequest" WHERE createdAtMs < ?`),
    };
  }

  async run(options: { header: string | null; scope: string; refresh?: (answer: Answer) => Answer }, action: () => Promise<Answer>): Promise<Answer> {
    if (options.header === null) return action();
    if (!keyFormat.test(options.header)) throw badRequest("Idempotency-Key must be 8 to 100 letters, digits, '.', '_', ':' or '-'.");
    const key = `${options.scope}|${options.header}`;
    const previous = stored.safeParse(this.s.get.get(key));
    if (previous.success) {
      const answer = { status: previous.data.status, body: JSON.parse(previous.data.body) as unknown };
      return options.refresh ? options.refresh(answer) : answer;
    }
    const running = this.inFlight.get(key);
    if (running) return running;
    const run = action().then((answer) => {
      // Only answers that did something are kept: a refused request may be retried and succeed.
      if (answer.status < 300) this.s.put.run(key, answer.status, JSON.stringify(answer.body), Date.now());
      if (++this.writes % 1_000 === 0) this.s.prune.run(Date.now() - KEEP_MS);
      return answer;
    });
    this.inFlight.set(key, run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(key);
    }
  }
}
