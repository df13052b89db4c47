/**
 * A small admission queue for heavy work: at most `concurrency` jobs run at once, and at most
 * `capacity` callers are inside (waiting or running) at all; past that `enter()` says no at
 * once, so the caller can refuse the request before reading its body (a clear 503) instead of
 * piling up uploads in memory. Two steps, so a caller can take its place early (before a slow
 * body read) and hold a run slot only for the work itself:
 *
 *   const place = queue.enter(); if (!place) refuse();
 *   try { ...read...; await place.run(() => decode()); } finally { place.leave(); }
 *
 * Run slots are handed over in arrival order. Pure JavaScript: no timers, no I/O.
 */
export interface QueuePlace {
  /** Waits for a run slot, runs `work`, frees the slot (also when `work` fails). */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Gives the place back; idempotent. A place that left cannot run work. */
  leave(): void;
}

export class WorkQueue {
  private running = 0;
  private inside = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly options: { readonly concurrency: number; readonly capacity: number }) {
    if (!(Number.isInteger(options.concurrency) && options.concurrency >= 1 && Number.isInteger(options.capacity) && options.capacity >= options.concurrency)) {
      throw new RangeError("WorkQueue: concurrency ≥ 1 and capacity ≥ concurrency, both integers");
    }
  }

  /** Callers inside (waiting for or holding a run slot, or about to). */
  get size(): number {
    return this.inside;
  }

  /** Jobs running now (never more than `concurrency`). */
  get active(): number {
    return this.running;
  }

  /** A place in the queue, or null when `capacity` callers are already inside. */
  enter(): QueuePlace | null {
    if (this.inside >= this.options.capacity) return null;
    this.inside++;
    let left = false;
    return {
      run: async <T>(work: () => Promise<T>): Promise<T> => {
        if (left) throw new Error("WorkQueue: this place has left the queue");
        await this.acquire();
        try {
          return await work();
        } finally {
          this.release();
        }
      },
      leave: () => {
        if (left) return;
        left = true;
        this.inside--;
      },
    };
  }

  private acquire(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes straight on: `running` stays the same
    else this.running--;
  }
}
