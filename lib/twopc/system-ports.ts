// Production clock, timers and randomness.
import { randomUUID } from "node:crypto";
import type { Clock, Random, Timers } from "./ports/clock";

export const systemClock: Clock = { nowMs: () => Date.now() };

export const systemTimers: Timers = {
  set(delayMs, fn) {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    return () => clearTimeout(handle);
  },
};

export const systemRandom: Random = {
  next: () => Math.random(),
  uuid: () => randomUUID(),
};
