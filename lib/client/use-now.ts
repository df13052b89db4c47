import { useEffect, useState } from "react";

/**
 * The current time in ms, re-rendering every `intervalMs` while `enabled`. `clock` is
 * `Date.now` (wall clock, for showing dates) or `performance.now` (monotonic: for durations,
 * immune to the device's clock being wrong or changed).
 */
export function useNow(intervalMs = 1_000, enabled = true, clock: () => number = Date.now): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    if (!enabled) return;
    setNow(clock());
    const timer = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, enabled, clock]);
  return now;
}

/** performance.now, bound (a bare reference loses its receiver in some browsers). */
export const monotonicNow = (): number => performance.now();
