// Parses the FAILPOINTS environment variable: a comma-separated list of failpoint names, each
// with an optional `@N` meaning "on the Nth hit" (default: the first). Example:
//   FAILPOINTS="participant.after-log-prepare@2,coordinator.after-log-decision"
import { isFailpointName, type FailpointName } from "./ports/failpoints";

export type FailpointPlan = ReadonlyMap<FailpointName, number>;

export type FailpointPlanResult = { ok: true; plan: FailpointPlan } | { ok: false; error: string };

const MAX_HIT = 1_000_000;

export function parseFailpoints(value: string | undefined): FailpointPlanResult {
  const plan = new Map<FailpointName, number>();
  if (value === undefined || value.trim() === "") return { ok: true, plan };
  for (const raw of value.split(",")) {
    const item = raw.trim();
    if (item === "") continue;
    const [name = "", nth, ...rest] = item.split("@");
    if (!isFailpointName(name)) return { ok: false, error: `unknown failpoint "${name}"` };
    if (rest.length > 0) return { ok: false, error: `bad failpoint "${item}"` };
    const hit = nth === undefined ? 1 : Number(nth);
    if (!Number.isInteger(hit) || hit < 1 || hit > MAX_HIT) return { ok: false, error: `bad hit count in "${item}"` };
    plan.set(name, hit);
  }
  return { ok: true, plan };
}

/** Counts hits and reports the one that must crash; the caller decides what crashing means. */
export class FailpointCounter {
  private readonly hits = new Map<FailpointName, number>();

  constructor(private readonly plan: FailpointPlan) {}

  shouldCrash(name: FailpointName): boolean {
    const target = this.plan.get(name);
    if (target === undefined) return false;
    const count = (this.hits.get(name) ?? 0) + 1;
    this.hits.set(name, count);
    return count === target;
  }
}
