// A readable transcript of a simulated run, recorded only when asked (replaying a failing seed).
import type { Message } from "../messages";

export class Tracer {
  readonly lines: string[] = [];

  constructor(
    readonly enabled: boolean,
    private readonly nowMs: () => number,
    /** Lines show the time since this instant (the run's start), not the epoch. */
    private readonly startMs = nowMs(),
  ) {}

  /** Lazy: building the text costs nothing unless the transcript is on. */
  line(text: () => string): void {
    if (this.enabled) this.lines.push(`${String(this.nowMs() - this.startMs).padStart(8)}ms  ${text()}`);
  }
}

export function describeMessage(msg: Message): string {
  switch (msg.type) {
    case "VOTE":
      return `VOTE ${msg.vote}${msg.reason === undefined ? "" : ` (${msg.reason})`} ${msg.txId}`;
    case "DECISION":
      return `DECISION ${msg.decision} ${msg.txId}`;
    case "APP":
      return `APP ${msg.key}`;
    default:
      return `${msg.type} ${msg.txId}`;
  }
}

export function describeBatch(messages: readonly Message[]): string {
  return `[${messages.map(describeMessage).join(", ")}]`;
}
