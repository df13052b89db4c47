// Production clock, timers and randomness.
import { randomUUID } from "node:crypto";
import type { Clock, Random, Timers } from "./ports/clock";

export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock that only moves forward, at the rate of time, whatever the wall clock does (steps, NTP). */
export const monotonicClock: Clock = { nowMs: () => performance.now() };

/**
 * The wall clock of a site whose clock is configured to be off by `offsetMs` (tests only:
 * TEST_CLOCK_OFFSET_MS); with 0 it is the system clock itself.
 */
export function offsetClock(offsetMs: number): Clock {
  return offsetMs === 0 ? systemClock : { nowMs: () => Date.now() + offsetMs };
}

export const systemTimers: Timers = {
  set(delayMs, fn) {
    // "Now" runs after the current I/O callbacks (so one tick's kicks still batch), not after
    // setTimeout's 1 ms minimum, which every message of a transaction would otherwise wait out.
    if (delayMs <= 0) {
      const immediate = setImmediate(fn);
      return () => clearImmediate(immediate);
    }
    const handle = setTimeout(fn, delayMs);
    return () => clearTimeout(handle);
  },
};

export const systemRandom: Random = {
  next: () => Math.random(),
  uuid: () => randomUUID(),
};
