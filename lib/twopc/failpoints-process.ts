// Production failpoints: a configured point kills this process with SIGKILL, the harshest crash
// (no exit handlers, no flush), so the crash tests see exactly what a power cut would leave.
import { FailpointCounter, parseFailpoints } from "./failpoints-env";
import { inertFailpoints, type FailpointName, type Failpoints } from "./ports/failpoints";

export class KillingFailpoints implements Failpoints {
  private readonly counter: FailpointCounter;

  constructor(plan: ConstructorParameters<typeof FailpointCounter>[0]) {
    this.counter = new FailpointCounter(plan);
  }

  hit(name: FailpointName): void {
    if (!this.counter.shouldCrash(name)) return;
    console.error(`failpoint ${name}: SIGKILL`);
    process.kill(process.pid, "SIGKILL");
  }
}

/** Failpoints from the FAILPOINTS env var; inert when it is unset. Throws on a malformed value. */
export function failpointsFromEnv(value: string | undefined = process.env.FAILPOINTS): Failpoints {
  const parsed = parseFailpoints(value);
  if (!parsed.ok) throw new Error(`FAILPOINTS: ${parsed.error}`);
  return parsed.plan.size === 0 ? inertFailpoints : new KillingFailpoints(parsed.plan);
}
