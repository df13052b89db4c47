import pino from "pino";

/**
 * Structured JSON logs on stdout, one object a line, each with the site id. Protocol code logs
 * through `logger.child({ txId })` so every line of a transaction carries its id.
 */
export function createLogger(options: { siteId: string; level: string }) {
  return pino({
    level: options.level,
    base: { siteId: options.siteId },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

export type Logger = ReturnType<typeof createLogger>;
