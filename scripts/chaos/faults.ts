// Faults at random from the seed, at least one every two seconds: SIGKILL and restart, SIGSTOP
// and SIGCONT, partitions between two sites (connections reset or blackholed), and restarts with
// a crash point armed (the site SIGKILLs itself at that point of the protocol, and is then
// restarted clean). At most `maxImpaired` sites are down or frozen at once, so the workload
// keeps some progress; partitions are always possible.
import { FAILPOINT_NAMES } from "../../lib/twopc/ports/failpoints";
import type { Prng } from "../../lib/twopc/sim/prng";
import type { Cluster } from "../../e2e/support/cluster";

export type FaultCounts = { kill: number; freeze: number; partition: number; armed: number; failpointCrash: number };

type Impairment = "down" | "frozen";

export class FaultInjector {
  readonly counts: FaultCounts = { kill: 0, freeze: 0, partition: 0, armed: 0, failpointCrash: 0 };
  /** One line per fault, with the time since the start: the run's fault schedule. */
  readonly journal: string[] = [];
  private readonly impaired = new Map<string, Impairment>();
  /** Sites running with a crash point armed: their own exit is a fault, then a clean restart. */
  private readonly armed = new Map<string, string>();
  private readonly cuts: Array<{ a: string; b: string }> = [];
  private readonly pending = new Set<Promise<void>>();
  private stopping = false;
  private readonly startedAtMs = Date.now();

  constructor(
    private readonly options: {
      cluster: Cluster;
      prng: Prng;
      maxImpaired: number;
      maxCuts: number;
      /** The longest pause between two faults (the brief: at least one every two seconds). */
      maxGapMs: number;
      log: (line: string) => void;
    },
  ) {}

  get total(): number {
    const c = this.counts;
    return c.kill + c.freeze + c.partition + c.armed + c.failpointCrash;
  }

  /** Injects faults until `stop()`. */
  async run(): Promise<void> {
    const { prng, maxGapMs } = this.options;
    while (!this.stopping) {
      await sleep(Math.max(200, Math.round(maxGapMs * (0.25 + 0.75 * prng.next()))));
      if (this.stopping) break;
      this.reapArmedExits();
      this.inject();
    }
  }

  stop(): void {
    this.stopping = true;
  }

  /** Heals every link, thaws every site, restarts every site that is down or armed, clean. */
  async calm(): Promise<void> {
    const { cluster } = this.options;
    this.stopping = true;
    await Promise.allSettled([...this.pending]);
    cluster.healAll();
    this.cuts.length = 0;
    for (const site of cluster.sites) if (site.frozen) cluster.thaw(site.siteId);
    for (const siteId of this.armed.keys()) if (cluster.isRunning(siteId)) await cluster.kill(siteId);
    this.armed.clear();
    await Promise.all(cluster.sites.filter((s) => !s.process.running).map((s) => cluster.start(s.siteId)));
    this.impaired.clear();
  }

  private inject(): void {
    const { prng, cluster, maxImpaired, maxCuts } = this.options;
    const healthy = cluster.sites.map((s) => s.siteId).filter((id) => !this.impaired.has(id) && !this.armed.has(id) && cluster.isRunning(id));
    const canImpair = this.impaired.size < maxImpaired && healthy.length > 0;
    const roll = prng.next();
    if (canImpair && roll < 0.3) return this.kill(prng.pick(healthy));
    if (canImpair && roll < 0.5) return this.freeze(prng.pick(healthy));
    if (canImpair && roll < 0.65 && this.armed.size === 0) return this.arm(prng.pick(healthy));
    if (this.cuts.length >= maxCuts) this.healOldestCut();
    this.partition();
  }

  private kill(siteId: string): void {
    const { cluster, prng } = this.options;
    const downMs = 200 + prng.int(2_500);
    this.note(`kill ${siteId}, restart after ${downMs} ms`);
    this.counts.kill += 1;
    this.impaired.set(siteId, "down");
    this.track(async () => {
      try {
        await cluster.kill(siteId);
        await sleep(downMs);
        await cluster.start(siteId);
      } finally {
        this.impaired.delete(siteId);
      }
    });
  }

  private freeze(siteId: string): void {
    const { cluster, prng } = this.options;
    const frozenMs = 500 + prng.int(3_000);
    this.note(`freeze ${siteId} for ${frozenMs} ms`);
    this.counts.freeze += 1;
    this.impaired.set(siteId, "frozen");
    cluster.freeze(siteId);
    this.track(async () => {
      try {
        await sleep(frozenMs);
        if (cluster.site(siteId).frozen) cluster.thaw(siteId);
      } finally {
        this.impaired.delete(siteId);
      }
    });
  }

  /** Restarts a site with one crash point armed on its Nth hit (N in 1..3). */
  private arm(siteId: string): void {
    const { cluster, prng } = this.options;
    const failpoint = `${prng.pick(FAILPOINT_NAMES)}@${1 + prng.int(3)}`;
    this.note(`arm ${siteId} with ${failpoint} (SIGKILL + restart)`);
    this.counts.armed += 1;
    this.impaired.set(siteId, "down");
    this.armed.set(siteId, failpoint);
    this.track(async () => {
      try {
        // May die before it is ready (recovery itself can hit the point): reapArmedExits follows up.
        await cluster.armFailpoints(siteId, failpoint);
      } finally {
        this.impaired.delete(siteId);
      }
    });
  }

  /** An armed site that hit its crash point is down: count it, restart it clean a bit later. */
  private reapArmedExits(): void {
    const { cluster, prng } = this.options;
    for (const [siteId, failpoint] of this.armed) {
      if (cluster.isRunning(siteId) || this.impaired.has(siteId)) continue;
      const exit = cluster.site(siteId).exits.at(-1);
      this.armed.delete(siteId);
      this.counts.failpointCrash += 1;
      const downMs = 200 + prng.int(1_500);
      this.note(`${siteId} died at ${failpoint} (${exit?.signal ?? exit?.code}), restart clean after ${downMs} ms`);
      this.impaired.set(siteId, "down");
      this.track(async () => {
        try {
          await sleep(downMs);
          await cluster.start(siteId);
        } finally {
          this.impaired.delete(siteId);
        }
      });
    }
  }

  private partition(): void {
    const { cluster, prng } = this.options;
    const ids = cluster.sites.map((s) => s.siteId);
    const open = pairs(ids).filter(([a, b]) => !this.cuts.some((c) => c.a === a && c.b === b));
    if (open.length === 0) return;
    const [a, b] = prng.pick(open);
    const mode = prng.chance(0.5) ? "refuse" : "blackhole";
    const cutMs = 800 + prng.int(3_500);
    this.note(`cut ${a}–${b} (${mode}) for ${cutMs} ms`);
    this.counts.partition += 1;
    cluster.cut(a, b, mode);
    const cut = { a, b };
    this.cuts.push(cut);
    this.track(async () => {
      await sleep(cutMs);
      const index = this.cuts.indexOf(cut);
      if (index >= 0) {
        this.cuts.splice(index, 1);
        cluster.heal(a, b);
      }
    });
  }

  private healOldestCut(): void {
    const oldest = this.cuts.shift();
    if (oldest) this.options.cluster.heal(oldest.a, oldest.b);
  }

  private track(work: () => Promise<void>): void {
    const promise = work()
      .catch((error: unknown) => this.options.log(`faults: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.pending.delete(promise));
    this.pending.add(promise);
  }

  private note(line: string): void {
    const entry = `+${((Date.now() - this.startedAtMs) / 1_000).toFixed(1)}s ${line}`;
    this.journal.push(entry);
    this.options.log(`fault ${entry}`);
  }
}

function pairs(ids: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) out.push([ids[i]!, ids[j]!]);
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
