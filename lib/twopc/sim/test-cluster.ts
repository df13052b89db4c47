// A fault-free simulated cluster for scenario tests of the runtime: real nodes, virtual time,
// a network that only delays (faults and crashes are added by the test, step by step).
import type { TwoPcConfig } from "../config";
import type { TestOnlySeams } from "../node";
import { Checker } from "./checker";
import { SimCluster, type CrashPlan, type SimSite } from "./cluster";
import { toyDomain } from "./domain";
import { SimNetwork } from "./network";
import { Prng } from "./prng";
import { Scheduler } from "./scheduler";
import { Tracer } from "./trace";

export interface TestCluster {
  cluster: SimCluster;
  scheduler: Scheduler;
  network: SimNetwork;
  checker: Checker;
  crashPlan: CrashPlan;
  tracer: Tracer;
  site(id: string): SimSite;
  /** Runs events until none is left or `untilMs` of virtual time is reached. */
  runFor(ms: number): Promise<void>;
  /** Runs every event there is (bounded). */
  quiesce(): Promise<void>;
}

export function createTestCluster(options: { sites?: number; config?: Partial<TwoPcConfig>; seams?: TestOnlySeams; trace?: boolean } = {}): TestCluster {
  const scheduler = new Scheduler();
  const prng = new Prng(1);
  const tracer = new Tracer(options.trace ?? false, () => scheduler.nowMs());
  const checker = new Checker();
  const ids = Array.from({ length: options.sites ?? 4 }, (_, i) => `s${i}`);
  const network = new SimNetwork({
    scheduler,
    prng,
    tracer,
    faults: { dropRate: 0, duplicateRate: 0, minDelayMs: 1, maxDelayMs: 3 },
    validateWire: "all",
    observer: { sent: (from, messages) => checker.observeMessages(from, messages), violation: (t) => checker.violation(t) },
  });
  const crashPlan: CrashPlan = { armed: undefined, rate: 0 };
  const cluster = new SimCluster({
    ids,
    scheduler,
    prng,
    tracer,
    network,
    config: { prepareTimeoutMs: 60_000, inquiryAfterMs: 1_000, callTimeoutMs: 200, retryBaseDelayMs: 20, retryMaxDelayMs: 500, ...options.config },
    seams: options.seams,
    crashPlan,
    domainFor: (id) => toyDomain(id, ids, (text) => checker.violation(text)),
    violation: (text) => checker.violation(text),
    restarted: (site) => checker.checkReportedAfterRestart(site),
  });
  checker.attach(cluster);
  for (const id of ids) cluster.restart(id);

  const step = async (): Promise<boolean> => {
    const event = scheduler.next();
    if (!event) return false;
    event.fn();
    for (let i = 0; i < 3; i++) await Promise.resolve();
    checker.scan();
    return true;
  };
  return {
    cluster,
    scheduler,
    network,
    checker,
    crashPlan,
    tracer,
    site: (id) => cluster.site(id),
    async runFor(ms) {
      const untilMs = scheduler.nowMs() + ms;
      for (let i = 0; i < 100_000; i++) {
        const event = scheduler.peekAtMs();
        if (event === undefined || event > untilMs) break;
        await step();
      }
      if (scheduler.nowMs() < untilMs) scheduler.jump(untilMs - scheduler.nowMs());
    },
    async quiesce() {
      for (let i = 0; i < 100_000 && (await step()); i++);
    },
  };
}
