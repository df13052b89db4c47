// Time and randomness are injected, so the simulator can run a whole cluster on a virtual clock
// with a seeded generator and replay it exactly.

export interface Clock {
  nowMs(): number;
}

export interface Timers {
  /** Runs `fn` once after `delayMs`; returns a function that cancels it. */
  set(delayMs: number, fn: () => void): () => void;
}

export interface Random {
  /** Uniform in [0, 1), for jitter. */
  next(): number;
  /** A globally unique id (txIds, msgIds). */
  uuid(): string;
}
