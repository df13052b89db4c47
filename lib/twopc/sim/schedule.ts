// One seeded schedule: four sites, a faulty network, a few concurrent txns on shared and separate
// keys, crashes at random steps and at failpoints, clock jumps; then heal everything, let it
// quiesce, and check. The same seed always gives the same run (and the same transcript).
import type { TwoPcConfig } from "../config";
import { FAILPOINT_NAMES } from "../ports/failpoints";
import type { Change, SiteId } from "../types";
import { Checker } from "./checker";
import { SimCluster, type CrashPlan, type SimSite } from "./cluster";
import { appendChange, toyDomain } from "./domain";
import { SimNetwork, type NetworkFaults } from "./network";
import { seamsFor, type PlantedBug } from "./planted-bugs";
import { Prng } from "./prng";
import { Scheduler } from "./scheduler";
import { Tracer } from "./trace";

export interface ScheduleOptions {
  seed: number;
  trace?: boolean;
  plantedBug?: PlantedBug;
  sites?: number;
  /** Steps with faults before healing. */
  steps?: number;
  maxTxns?: number;
  /** Default "sample": every message is copied as JSON, one batch in 8 is also schema-checked. */
  validateWire?: "all" | "sample";
}

export interface ScheduleResult {
  seed: number;
  violations: string[];
  trace: string[];
  stats: { events: number; txns: number; committed: number; aborted: number; crashes: number; virtualMs: number };
}

const KEYS = ["a", "b", "c", "d"];
/** Events allowed after healing before "it never settles" is a violation. */
const MAX_QUIESCE_EVENTS = 20_000;

interface Run {
  prng: Prng;
  scheduler: Scheduler;
  tracer: Tracer;
  network: SimNetwork;
  cluster: SimCluster;
  checker: Checker;
  crashPlan: CrashPlan;
  chaos: Chaos;
  stats: ScheduleResult["stats"];
}

/** The engine tunables of one schedule (the product schedule draws the same). */
export function drawConfig(prng: Prng): Partial<TwoPcConfig> {
  return {
    prepareTimeoutMs: prng.pick([1_000, 5_000, 300_000]),
    inquiryAfterMs: prng.pick([200, 1_000, 5_000]),
    callTimeoutMs: prng.pick([100, 500]),
    retryBaseDelayMs: 20,
    retryMaxDelayMs: prng.pick([200, 2_000]),
    batchSize: prng.pick([1, 4, 64]),
    receiptTtlMs: prng.pick([2_000, 7 * 24 * 3_600_000]),
    afterReplyFailpointDelayMs: prng.pick([0, 5]),
    checkInvariants: true,
  };
}

function drawFaults(prng: Prng): NetworkFaults {
  return {
    dropRate: prng.pick([0, 0.05, 0.2]),
    duplicateRate: prng.pick([0, 0.1]),
    minDelayMs: 1,
    maxDelayMs: prng.pick([5, 50, 400]),
  };
}

export function drawCrashPlan(prng: Prng, ids: readonly SiteId[]): CrashPlan {
  const armed = prng.chance(0.5)
    ? { site: prng.pick(ids), name: prng.pick(FAILPOINT_NAMES), nth: prng.between(1, 3) }
    : undefined;
  return { armed, rate: prng.pick([0, 0.005, 0.03]) };
}

function setUp(options: ScheduleOptions): Run {
  const prng = new Prng(options.seed);
  const scheduler = new Scheduler();
  const tracer = new Tracer(options.trace ?? false, () => scheduler.nowMs());
  const ids = Array.from({ length: options.sites ?? 4 }, (_, i) => `s${i}`);
  const checker = new Checker();
  const config = drawConfig(prng);
  const faults = drawFaults(prng);
  const crashPlan = drawCrashPlan(prng, ids);
  const chaos = drawChaos(prng);
  tracer.line(() => `seed ${options.seed}: config ${JSON.stringify(config)}`);
  tracer.line(() => `network ${JSON.stringify(faults)}; crashes ${JSON.stringify(crashPlan)}; chaos ${JSON.stringify(chaos)}${options.plantedBug ? `; PLANTED BUG ${options.plantedBug}` : ""}`);
  const network = new SimNetwork({
    scheduler,
    prng,
    tracer,
    faults,
    validateWire: options.validateWire ?? "sample",
    observer: { sent: (from, messages) => checker.observeMessages(from, messages), violation: (t) => checker.violation(t) },
  });
  const cluster = new SimCluster({
    ids,
    scheduler,
    prng,
    tracer,
    network,
    config,
    seams: options.plantedBug ? seamsFor(options.plantedBug) : undefined,
    crashPlan,
    domainFor: (id) => toyDomain(id, ids, (text) => checker.violation(text)),
    violation: (text) => checker.violation(text),
    restarted: (site) => checker.checkReportedAfterRestart(site),
  });
  checker.attach(cluster);
  return { prng, scheduler, tracer, network, cluster, checker, crashPlan, chaos, stats: { events: 0, txns: 0, committed: 0, aborted: 0, crashes: 0, virtualMs: 0 } };
}

/** Lets promise callbacks (transport replies, user waits) run before the next step. */
/** Lets promise callbacks (transport replies, user waits) run before the next step. */
export async function settleMicrotasks(): Promise<void> {
  for (let i = 0; i < 3; i++) await Promise.resolve();
}

/** Runs the next scheduled event, if any, counting it. */
export function runEvent(run: { scheduler: Scheduler; stats: { events: number } }): boolean {
  const event = run.scheduler.next();
  if (!event) return false;
  run.stats.events += 1;
  event.fn();
  return true;
}

/** Retries of a txn that met a busy key, as the product layer would do (with a new txId). */
const MAX_BUSY_RETRIES = 2;

function begin(run: Run, site: SimSite, change: Change, retriesLeft: number): void {
  const node = site.node;
  if (!node) return;
  const txId = run.cluster.guarded(site, () => node.begin(change));
  if (txId === undefined) return;
  run.checker.begun.set(txId, { txId, coordinator: site.id, participants: [...run.cluster.sites.keys()] });
  run.tracer.line(() => `${site.id} BEGIN ${txId} append ${JSON.stringify(change.data)} to ${change.key}`);
  const waitMs = run.prng.pick([50, 2_000]);
  void node.waitForOutcome(txId, waitMs).then((outcome) => {
    run.tracer.line(() => `user at ${site.id} told: ${txId} ${outcome.state}${outcome.reason ? ` (${outcome.reason})` : ""}`);
    run.checker.told(outcome, site.id);
    if (outcome.state !== "aborted" || !outcome.reason?.endsWith("busy") || retriesLeft === 0) return;
    run.scheduler.after(run.prng.between(20, 500), "user retry", () => begin(run, site, change, retriesLeft - 1));
  });
}

function beginNew(run: Run, site: SimSite): void {
  const n = run.stats.txns++;
  const change = appendChange(run.prng.pick(KEYS), { item: `i${n}`, veto: run.prng.chance(0.1) });
  begin(run, site, change, MAX_BUSY_RETRIES);
}

/** How often (in % of steps) each fault strikes; drawn per schedule, from calm to wild. */
interface Chaos {
  crashPct: number;
  restartPct: number;
  partitionPct: number;
  jumpPct: number;
}

function drawChaos(prng: Prng): Chaos {
  return prng.pick([
    { crashPct: 0, restartPct: 2, partitionPct: 0, jumpPct: 1 },
    { crashPct: 1, restartPct: 3, partitionPct: 1, jumpPct: 1 },
    { crashPct: 3, restartPct: 4, partitionPct: 2, jumpPct: 1 },
  ]);
}

function act(run: Run, options: ScheduleOptions): void {
  const { prng, cluster, chaos } = run;
  let roll = prng.int(100);
  const up = cluster.upSites();
  const down = cluster.downSites();
  if ((roll -= 5) < 0) {
    if (run.stats.txns < (options.maxTxns ?? 5) && up.length > 0) beginNew(run, prng.pick(up));
  } else if ((roll -= chaos.crashPct) < 0) {
    if (up.length === 0) return;
    run.stats.crashes += 1;
    cluster.crash(prng.pick(up).id, "at a random step");
  } else if ((roll -= chaos.restartPct) < 0) {
    if (down.length > 0) cluster.restart(prng.pick(down).id);
  } else if ((roll -= chaos.partitionPct) < 0) {
    togglePartition(run);
  } else if ((roll -= chaos.jumpPct) < 0) {
    const ms = prng.pick([100, 5_000, 60_000]);
    run.scheduler.jump(ms);
    run.tracer.line(() => `clock jumps ${ms}ms`);
  } else if (roll < 2) {
    pollOutcome(run);
  } else {
    runEvent(run);
  }
}

function togglePartition(run: Run): void {
  const { prng, cluster, network, tracer } = run;
  const ids = [...cluster.sites.keys()];
  const a = prng.pick(ids);
  const b = prng.pick(ids.filter((x) => x !== a));
  if (network.isCut(a, b)) {
    network.mend(a, b);
    tracer.line(() => `partition ${a}|${b} mended`);
  } else {
    network.cut(a, b);
    tracer.line(() => `partition ${a}|${b}`);
  }
}

/** A user asks a coordinator for the outcome of one of its txns. */
function pollOutcome(run: Run): void {
  const txIds = [...run.checker.begun.keys()];
  if (txIds.length === 0) return;
  const txId = run.prng.pick(txIds);
  const coordinator = run.checker.begun.get(txId)?.coordinator ?? "";
  const site = run.cluster.site(coordinator);
  const node = site.node;
  if (!node) return;
  const outcome = run.cluster.guarded(site, () => node.outcome(txId));
  if (!outcome) return;
  run.tracer.line(() => `user polls ${coordinator}: ${txId} ${outcome.state}`);
  run.checker.told(outcome, coordinator);
}

async function heal(run: Run): Promise<void> {
  const { cluster, network, tracer, checker } = run;
  tracer.line(() => "HEAL: partitions mended, no more loss or crashes, every site up");
  network.heal();
  run.crashPlan.armed = undefined;
  run.crashPlan.rate = 0;
  for (const site of cluster.downSites()) cluster.restart(site.id);
  let events = 0;
  while (checker.violations.length === 0 && runEvent(run)) {
    await settleMicrotasks();
    checker.scan();
    if (++events > MAX_QUIESCE_EVENTS) {
      checker.violation(`no quiescence after ${MAX_QUIESCE_EVENTS} events`);
      return;
    }
  }
  tracer.line(() => "quiescent: final checks");
}

export async function runSchedule(options: ScheduleOptions): Promise<ScheduleResult> {
  const run = setUp(options);
  for (const id of run.cluster.sites.keys()) run.cluster.restart(id);
  const steps = options.steps ?? 200;
  for (let step = 0; step < steps && run.checker.violations.length === 0; step++) {
    act(run, options);
    await settleMicrotasks();
    run.checker.scan();
  }
  if (run.checker.violations.length === 0) await heal(run);
  if (run.checker.violations.length === 0) {
    run.checker.final();
    run.checker.scan();
  }
  run.stats.virtualMs = run.scheduler.nowMs();
  run.stats.committed = run.checker.outcomes.committed;
  run.stats.aborted = run.checker.outcomes.aborted;
  for (const v of run.checker.violations) run.tracer.line(() => `VIOLATION ${v}`);
  return { seed: options.seed, violations: run.checker.violations, trace: run.tracer.lines, stats: run.stats };
}
