"use client";
import { formatCountdown, remainingNowMs } from "@/lib/client/format";
import { monotonicNow, useNow } from "@/lib/client/use-now";

/**
 * Time left in the ballot window, ticking every second; a polite announcement once a minute.
 * Counted down from the server's `remainingMs` since the answer arrived (`receivedAtMs`, on the
 * page's monotonic clock), never against this device's wall clock, which may be wrong.
 */
export function Countdown({ remainingMs, receivedAtMs }: { remainingMs: number; receivedAtMs: number }) {
  const now = useNow(1_000, true, monotonicNow);
  const leftMs = remainingNowMs({ remainingMs, receivedAtMs, nowMs: now });
  const over = leftMs <= 0;
  const urgent = !over && leftMs <= 15_000;
  const minutesLeft = Math.ceil(leftMs / 60_000);
  return (
    <div className={`countdown${urgent ? " is-urgent" : ""}${over ? " is-over" : ""}`}>
      <span className="countdown-time" aria-hidden="true">
        {formatCountdown(leftMs)}
      </span>
      <span className="countdown-label">{over ? "Time is up" : "left to decide"}</span>
      <span className="sr-only" role="timer" aria-live="off">
        {over ? "Time is up." : `${formatCountdown(leftMs)} left to decide.`}
      </span>
      <span className="sr-only" aria-live="polite">
        {over ? "The ballot window has closed." : `About ${minutesLeft} minute${minutesLeft === 1 ? "" : "s"} left.`}
      </span>
    </div>
  );
}
