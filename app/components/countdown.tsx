"use client";
import { formatCountdown } from "@/lib/client/format";
import { useNow } from "@/lib/client/use-now";

/** Time left until `deadline`, ticking every second; a polite announcement once a minute. */
export function Countdown({ deadline }: { deadline: string }) {
  const deadlineMs = Date.parse(deadline);
  const now = useNow(1_000, true);
  const remainingMs = Math.max(0, deadlineMs - now);
  const over = remainingMs <= 0;
  const urgent = !over && remainingMs <= 15_000;
  const minutesLeft = Math.ceil(remainingMs / 60_000);
  return (
    <div className={`countdown${urgent ? " is-urgent" : ""}${over ? " is-over" : ""}`}>
      <span className="countdown-time" aria-hidden="true">
        {formatCountdown(remainingMs)}
      </span>
      <span className="countdown-label">{over ? "Time is up" : "left to decide"}</span>
      <span className="sr-only" role="timer" aria-live="off">
        {over ? "Time is up." : `${formatCountdown(remainingMs)} left to decide.`}
      </span>
      <span className="sr-only" aria-live="polite">
        {over ? "The ballot window has closed." : `About ${minutesLeft} minute${minutesLeft === 1 ? "" : "s"} left.`}
      </span>
    </div>
  );
}
