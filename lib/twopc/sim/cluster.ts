// The simulated sites: each a real TwoPcNode over a MemoryStore that outlives crashes. A crash
// discards the node (its volatile state) and bumps the site's incarnation, which silences every
// timer, call and store handle the dead incarnation still holds.
import type { TwoPcConfig } from "../config";
import { MemoryStore, type MemoryTx } from "../memory-store";
import type { Message } from "../messages";
import { TwoPcNode, type TestOnlySeams } from "../node";
import type { Clock, Random, Timers } from "../ports/clock";
import type { DomainPort } from "../ports/domain";
import type { FailpointName, Failpoints } from "../ports/failpoints";
import type { Store } from "../ports/store";
import type { SiteId } from "../types";
import type { NetworkPeers, SimNetwork } from "./network";
import type { Prng } from "./prng";
import type { Scheduler } from "./scheduler";
import type { Tracer } from "./trace";

/** Thrown to unwind the stack of a site that just crashed. */
export class Crash extends Error {
  constructor(readonly site: SiteId, why: string) {
    super(`${site} crashed: ${why}`);
    this.name = "Crash";
  }
}

/**
 * A disk that fails under the store: ENOSPC when committing (nothing is written) or EIO when
 * syncing (written but maybe not durable: the next crash may or may not keep it). A real site
 * fails-stop on either (the engine's onFatal; a command's 500), which the cluster models as a crash.
 */
export class DiskError extends Error {
  constructor(
    readonly site: SiteId,
    readonly code: "ENOSPC" | "EIO",
  ) {
    super(`${site}: ${code === "ENOSPC" ? "ENOSPC: no space left on device (commit failed)" : "EIO: i/o error (fsync failed)"}`);
    this.name = "DiskError";
  }
}

/** What a site's domain is in the simulation: the port, and whether it wants to know its node (sendApp). */
export interface SiteDomain {
  port: DomainPort<MemoryTx>;
  attach?: (node: TwoPcNode<MemoryTx> | undefined) => void;
}

export interface CrashPlan {
  /** Crash at the Nth hit of this failpoint at this site. */
  armed?: { site: SiteId; name: FailpointName; nth: number } | undefined;
  /** Probability that any failpoint hit crashes its site. */
  rate: number;
}

export interface SimSite {
  id: SiteId;
  store: MemoryStore;
  domain: SiteDomain;
  incarnation: number;
  /** This site's clock minus the true (scheduler) time: set per schedule, jumps both ways. */
  clockOffsetMs: number;
  /** This site's clock (true time + offset), what its node and its domain read. */
  clock: Clock;
  /** Store transactions committed by this site (a cheap "did anything change" for checkers). */
  commits: number;
  node: TwoPcNode<MemoryTx> | undefined;
  hits: Map<FailpointName, number>;
}

export interface ClusterDeps {
  ids: readonly SiteId[];
  scheduler: Scheduler;
  prng: Prng;
  tracer: Tracer;
  network: SimNetwork;
  config: Partial<TwoPcConfig>;
  seams: TestOnlySeams | undefined;
  crashPlan: CrashPlan;
  /** The domain of each site (the toy SimDomain, or the product's). */
  domainFor: (id: SiteId) => SiteDomain;
  /** Probability that a store transaction fails on the disk (mutable: healing sets it to 0). */
  disk?: { faultRate: number };
  violation: (text: string) => void;
  /** Called after a site (re)started, to check what it reports. */
  restarted: (site: SimSite) => void;
}

export class SimCluster implements NetworkPeers {
  readonly sites = new Map<SiteId, SimSite>();
  private ids = 0;

  constructor(private readonly deps: ClusterDeps) {
    for (const id of deps.ids) {
      const site: SimSite = {
        id,
        store: new MemoryStore(),
        domain: deps.domainFor(id),
        incarnation: 0,
        clockOffsetMs: 0,
        // Whole milliseconds, as Date.now() (the engine's timers with jitter make true time fractional).
        clock: { nowMs: () => Math.floor(deps.scheduler.nowMs() + site.clockOffsetMs) },
        commits: 0,
        node: undefined,
        hits: new Map(),
      };
      this.sites.set(id, site);
    }
    deps.network.connect(this);
  }

  site(id: SiteId): SimSite {
    const site = this.sites.get(id);
    if (!site) throw new RangeError(`no site ${id}`);
    return site;
  }

  upSites(): SimSite[] {
    return [...this.sites.values()].filter((s) => s.node !== undefined);
  }

  downSites(): SimSite[] {
    return [...this.sites.values()].filter((s) => s.node === undefined);
  }

  alive(id: SiteId, incarnation: number): boolean {
    const site = this.site(id);
    return site.node !== undefined && site.incarnation === incarnation;
  }

  /** Through `handleSoon`, as production does: calls arriving at the same moment share one transaction. */
  handleAt(to: SiteId, from: SiteId, messages: Message[]): Promise<Message[] | undefined> {
    const site = this.site(to);
    const node = site.node;
    if (!node) return Promise.resolve(undefined);
    return node.handleSoon(from, messages).catch((error: unknown) => {
      this.onError(site, error);
      return undefined;
    });
  }

  /** Runs `fn` against a site; a Crash inside it is the site's crash, anything else a violation. */
  guarded<T>(site: SimSite, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.onError(site, error);
      return undefined;
    }
  }

  crash(id: SiteId, why: string): void {
    const site = this.site(id);
    if (!site.node) return;
    site.node = undefined;
    site.domain.attach?.(undefined);
    site.incarnation += 1;
    // Half the crashes take the machine down with the process: unforced commits not yet followed
    // by a durable one are lost too (the store's `durable: false` promise, held to account here).
    const lost = this.deps.prng.chance(0.5) ? site.store.losePower() : undefined;
    this.deps.tracer.line(() => `${id} CRASH (${why})${lost === undefined ? "" : `, power lost: ${lost} unforced commits gone`}`);
  }

  restart(id: SiteId): void {
    const site = this.site(id);
    if (site.node) return;
    const incarnation = site.incarnation;
    const node = new TwoPcNode<MemoryTx>({
      self: id,
      sites: this.deps.ids,
      store: this.storeFor(site, incarnation),
      transport: this.deps.network.transportFor(id, incarnation),
      domain: site.domain.port,
      clock: site.clock,
      timers: this.timersFor(site, incarnation),
      random: this.random(),
      failpoints: this.failpointsFor(site, incarnation),
      config: this.deps.config,
      onFatal: (error) => this.onError(site, error),
      // The unmodified tree never sends a message a site cannot handle.
      onQuarantine: (row) => this.deps.violation(`${id} quarantined ${row.type} ${row.msgId} of ${row.txId} from ${row.from}: ${row.error}`),
      testOnlySeams: this.deps.seams,
    });
    site.node = node;
    site.domain.attach?.(node);
    node.onDecision((e) => this.deps.tracer.line(() => `${id} ${e.role} ${e.decision} ${e.txId}${e.reason ? ` (${e.reason})` : ""}`));
    this.deps.tracer.line(() => `${id} start (incarnation ${incarnation})`);
    this.guarded(site, () => node.start());
    if (site.node === node) this.guarded(site, () => this.deps.restarted(site));
  }

  private onError(site: SimSite, error: unknown): void {
    if (error instanceof Crash) return; // the site already crashed
    if (error instanceof DiskError) return this.crash(site.id, error.message); // fail-stop, as a real site
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.deps.violation(`${site.id} failed: ${text}`);
    this.crash(site.id, "fatal error");
  }

  /** The store as this incarnation of the site sees it (the product's commands in the simulator use it too). */
  storeFor(site: SimSite, incarnation: number): Store<MemoryTx> {
    return {
      transact: (fn, options) => {
        // A dead process writes nothing.
        if (site.incarnation !== incarnation) throw new Crash(site.id, "store used after crash");
        const faultRate = this.deps.disk?.faultRate ?? 0;
        if (faultRate > 0 && this.deps.prng.chance(faultRate)) {
          if (this.deps.prng.chance(0.5)) throw new DiskError(site.id, "ENOSPC");
          // Written, but the sync failed: kept as an unforced commit that a power loss may take.
          site.store.transact(fn, { durable: false });
          site.commits += 1;
          throw new DiskError(site.id, "EIO");
        }
        const value = site.store.transact(fn, options);
        site.commits += 1;
        return value;
      },
    };
  }

  /** Timers of one incarnation of a site: they never fire once it has crashed. */
  timersFor(site: SimSite, incarnation: number): Timers {
    const { scheduler } = this.deps;
    return {
      set: (delayMs, fn) => {
        const event = scheduler.after(delayMs, "timer", () => {
          if (site.incarnation === incarnation) this.guarded(site, fn);
        });
        return () => {
          event.cancelled = true;
        };
      },
    };
  }

  private failpointsFor(site: SimSite, incarnation: number): Failpoints {
    const { crashPlan, prng } = this.deps;
    return {
      hit: (name) => {
        if (site.incarnation !== incarnation) throw new Crash(site.id, "dead code ran");
        const count = (site.hits.get(name) ?? 0) + 1;
        site.hits.set(name, count);
        const armed = crashPlan.armed;
        const planned = armed?.site === site.id && armed.name === name && armed.nth === count;
        if (!planned && !(crashPlan.rate > 0 && prng.chance(crashPlan.rate))) return;
        this.crash(site.id, `failpoint ${name}`);
        throw new Crash(site.id, name);
      },
    };
  }

  private random(): Random {
    const { prng } = this.deps;
    return {
      next: () => prng.next(),
      // Sequential ids are unique in a run and keep transcripts readable.
      uuid: () => `n${++this.ids}`,
    };
  }
}
