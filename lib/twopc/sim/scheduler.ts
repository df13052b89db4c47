// Virtual time and the event queue of one simulated run. Events at the same time run in the
// order they were scheduled, so a run is a pure function of its seed.

export interface SimEvent {
  atMs: number;
  seq: number;
  label: string;
  fn: () => void;
  cancelled: boolean;
}

/**
 * Where simulated time starts: a realistic instant (2026-12-07), so that confusing an instant
 * with a duration (or a clock at 0 with "never") shows up as a wrong answer, not a lucky one.
 */
export const SIM_EPOCH_MS = Date.UTC(2026, 11, 7, 5, 0, 0);

export class Scheduler {
  private nowValueMs: number;
  private seq = 0;
  private readonly heap: SimEvent[] = [];

  constructor(startMs = SIM_EPOCH_MS) {
    this.nowValueMs = startMs;
  }

  nowMs(): number {
    return this.nowValueMs;
  }

  after(delayMs: number, label: string, fn: () => void): SimEvent {
    const event: SimEvent = { atMs: this.nowValueMs + Math.max(0, delayMs), seq: this.seq++, label, fn, cancelled: false };
    this.push(event);
    return event;
  }

  /** The clock jumps forward: events due meanwhile then run late, as after a long GC pause. */
  jump(ms: number): void {
    this.nowValueMs += ms;
  }

  /** Pops the next live event and moves the clock to it (never backwards). */
  next(): SimEvent | undefined {
    for (;;) {
      const event = this.pop();
      if (!event) return undefined;
      if (event.cancelled) continue;
      this.nowValueMs = Math.max(this.nowValueMs, event.atMs);
      return event;
    }
  }

  /** Time of the next live event, if any (drops cancelled ones on the way). */
  peekAtMs(): number | undefined {
    for (;;) {
      const top = this.heap[0];
      if (!top) return undefined;
      if (!top.cancelled) return top.atMs;
      this.pop();
    }
  }

  get pending(): number {
    return this.heap.length;
  }

  private before(x: SimEvent, y: SimEvent): boolean {
    return x.atMs < y.atMs || (x.atMs === y.atMs && x.seq < y.seq);
  }

  private push(event: SimEvent): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (p === undefined || !this.before(event, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = event;
  }

  private pop(): SimEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = last;
      let at = -1;
      const l = heap[left];
      if (l !== undefined && this.before(l, smallest)) {
        smallest = l;
        at = left;
      }
      const r = heap[right];
      if (r !== undefined && this.before(r, smallest)) {
        smallest = r;
        at = right;
      }
      if (at < 0) break;
      heap[i] = smallest;
      i = at;
    }
    heap[i] = last;
    return top;
  }
}
