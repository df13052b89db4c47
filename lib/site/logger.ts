import { Writable } from "node:stream";
import pino from "pino";

export type LogLine = { time: string; level: string; msg: string; txId?: string };

/** The last lines this site logged (info and above), for its status page. Bounded. */
export class RecentLog extends Writable {
  private readonly lines: LogLine[] = [];
  constructor(private readonly maxLines = 200) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    try {
      const entry = JSON.parse(chunk.toString("utf8")) as Record<string, unknown>;
      const line: LogLine = { time: String(entry.time ?? ""), level: String(entry.level ?? ""), msg: String(entry.msg ?? "") };
      if (typeof entry.txId === "string") line.txId = entry.txId;
      this.lines.push(line);
      if (this.lines.length > this.maxLines) this.lines.shift();
    } catch {
      // not a JSON line: nothing to keep
    }
    done();
  }
  recent(): LogLine[] {
    return [...this.lines].reverse();
  }
}

/**
 * Structured JSON logs on stdout, one object a line, each with the site id. Protocol code logs
 * through `logger.child({ txId })` so every line of a transaction carries its id.
 */
export function createLogger(options: { siteId: string; level: string; recent?: RecentLog }) {
  const streams: pino.StreamEntry[] = [{ stream: process.stdout, level: options.level as pino.Level }];
  if (options.recent) streams.push({ stream: options.recent, level: "info" });
  return pino(
    {
      level: options.level,
      base: { siteId: options.siteId },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );
}

export type Logger = ReturnType<typeof createLogger>;
