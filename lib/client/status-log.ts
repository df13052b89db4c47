// GET /api/status/log (statusLogAnswer in lib/api/contract.ts is what the server promises).
// The status page reads it leniently: levels as numbers or names, a missing txId as null.
import { z } from "zod";

const pinoLevels: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

export const statusLogLine = z.object({
  time: z.union([z.string(), z.number()]).transform((t) => (typeof t === "number" ? new Date(t).toISOString() : t)),
  level: z.union([z.string(), z.number()]).transform((l) => (typeof l === "number" ? (pinoLevels[l] ?? String(l)) : l.toLowerCase())),
  msg: z.string(),
  txId: z.string().nullish().transform((t) => t ?? null),
});

export const statusLogAnswer = z.object({ lines: z.array(statusLogLine) });

export type StatusLogLine = z.output<typeof statusLogLine>;
