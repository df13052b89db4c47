import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { siteEnv, type SitePlan } from "../../scripts/lib/cluster-env";
import { SiteProcess } from "../../scripts/lib/site-process";
import { freePorts } from "./free-port";
import { Links, type CutMode } from "./link-proxy";
import { registerPid, unregisterPid } from "./process-reaper";
import { withTimeout } from "./wait";

/**
 * Short protocol timeouts for crash and chaos tests: a dead or frozen peer is noticed within a
 * second, in-doubt participants ask within a second, retries never back off past a second.
 * Spread into `Cluster.start({ env })`; the defaults of a plain `Cluster.start()` are the
 * site's own (README, Configuration).
 */
export const FAST_TIMEOUTS: Readonly<Record<string, string>> = {
  HEARTBEAT_MS: "300",
  CALL_TIMEOUT_MS: "1000",
  INQUIRY_AFTER_MS: "1000",
  RETRY_BASE_MS: "50",
  RETRY_MAX_MS: "1000",
  DECIDE_WAIT_MS: "4000",
};

export type ClusterOptions = {
  count?: number;
  /** Environment for every site (e.g. a short BALLOT_WINDOW_MS). */
  env?: Record<string, string>;
  /** Environment for one site only (e.g. FAILPOINTS on the coordinator). */
  siteEnv?: (siteId: string) => Record<string, string>;
  /**
   * Route every site-to-site call through a loopback TCP proxy per directed pair, so the
   * harness can cut and heal links (`cut`, `heal`, `isolate`). A site's own entry in SITES
   * stays its real URL (share links, PUBLIC_URL).
   */
  partitions?: boolean;
  /** Where the data folders go (default: a fresh temporary folder, removed by `stop()`). */
  root?: string;
  /** Keep the data folders after `stop()` (to inspect a failure). */
  keepData?: boolean;
  /** Each site output line, prefixed with its id (besides `logs`). */
  onLine?: (line: string) => void;
};

export type SiteExit = { code: number | null; signal: NodeJS.Signals | null; atMs: number };

export type TestSite = SitePlan & {
  process: SiteProcess;
  /** Exits of this site's processes so far, oldest first. */
  exits: SiteExit[];
  frozen: boolean;
};

/**
 * N real sites (default 4) on free loopback ports with fresh data folders. Sites can be killed
 * (SIGKILL), frozen (SIGSTOP/SIGCONT), restarted on the same data and port (optionally with a
 * crash point armed), and, with `partitions`, cut off from each other. Every process is
 * stopped by its PID in `stop()`, which tests call in afterEach/afterAll, pass or fail; a
 * process exit hook kills whatever is left if the harness ends before that.
 */
export class Cluster {
  readonly logs: string[] = [];
  private readonly exitWaiters = new Set<() => void>();
  private stopped = false;

  private constructor(
    readonly sites: TestSite[],
    readonly root: string,
    readonly links: Links | undefined,
    private readonly options: ClusterOptions,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const count = options.count ?? 4;
    const root = options.root ?? mkdtempSync(join(tmpdir(), "groupshot-e2e-"));
    const secrets = { siteSecret: randomBytes(32).toString("hex"), sessionPassword: randomBytes(32).toString("hex") };
    const plan: SitePlan[] = (await freePorts(count)).map((port, i) => ({ siteId: `s${i}`, port, url: `http://127.0.0.1:${port}`, dataDir: join(root, `s${i}`) }));
    const links = options.partitions ? await Links.start(plan) : undefined;
    const sites: TestSite[] = [];
    const cluster = new Cluster(sites, root, links, options);
    for (const site of plan) {
      // With partitions, this site reaches each peer through the proxy of that directed link.
      const view = links ? plan.map((p) => (p.siteId === site.siteId ? p : { ...p, url: links.url(site.siteId, p.siteId) })) : plan;
      const env = siteEnv(site, view, secrets, {
        HEARTBEAT_MS: "500",
        LOG_LEVEL: "info",
        GROUPSHOT_PARENT_PID: String(process.pid),
        ...options.env,
        ...(options.siteEnv?.(site.siteId) ?? {}),
      });
      const exits: SiteExit[] = [];
      const siteProcess = new SiteProcess({
        siteId: site.siteId,
        url: site.url,
        env,
        onLine: (line) => cluster.log(line),
        onExit: (code, signal) => cluster.onExit(testSite, code, signal),
      });
      const testSite: TestSite = { ...site, exits, frozen: false, process: siteProcess };
      sites.push(testSite);
    }
    try {
      for (const site of sites) cluster.launch(site);
      await Promise.all(sites.map((s) => s.process.waitReady(60_000)));
    } catch (error) {
      await cluster.stop();
      // The sites' own words, since no test is attached yet to report them.
      throw new Error(`the cluster did not start: ${error instanceof Error ? error.message : String(error)}\n${cluster.recentLogs(60)}`, { cause: error });
    }
    return cluster;
  }

  site(siteId: string): TestSite {
    const site = this.sites.find((s) => s.siteId === siteId);
    if (!site) throw new Error(`no site ${siteId}`);
    return site;
  }

  url(siteId: string): string {
    return this.site(siteId).url;
  }

  pid(siteId: string): number | undefined {
    return this.site(siteId).process.pid;
  }

  dataDir(siteId: string): string {
    return this.site(siteId).dataDir;
  }

  isRunning(siteId: string): boolean {
    return this.site(siteId).process.running;
  }

  /** SIGKILL, as a crash would, and wait until the process is gone. */
  async kill(siteId: string): Promise<void> {
    const site = this.site(siteId);
    site.frozen = false;
    await site.process.kill();
  }

  /** Starts a site that is not running, on its data folder and port, and waits until it answers. */
  async start(siteId: string, extraEnv: Record<string, string> = {}): Promise<void> {
    const site = this.site(siteId);
    if (site.process.running) throw new Error(`${siteId} is already running`);
    this.launch(site, extraEnv);
    await site.process.waitReady(60_000);
  }

  /** Starts a stopped or killed site again on the same data folder and port. */
  async restart(siteId: string, extraEnv: Record<string, string> = {}): Promise<void> {
    const site = this.site(siteId);
    if (site.process.running) await site.process.stop();
    site.frozen = false;
    this.launch(site, extraEnv);
    await site.process.waitReady(60_000);
  }

  /**
   * Restarts a site (SIGKILL if it runs) with crash points armed, e.g.
   * `"coordinator.after-log-decision"` or `"participant.after-log-prepare@2"` (the Nth hit;
   * lib/twopc/failpoints-env.ts). When one is hit the site SIGKILLs itself: `waitExit`.
   */
  async armFailpoints(siteId: string, failpoints: string): Promise<void> {
    if (this.isRunning(siteId)) await this.kill(siteId);
    await this.start(siteId, { FAILPOINTS: failpoints });
  }

  /**
   * Waits until the site's current process has exited by itself (a failpoint SIGKILLs it) and
   * returns how it ended. Throws after `timeoutMs` if it is still running.
   */
  async waitExit(siteId: string, timeoutMs = 30_000): Promise<SiteExit> {
    const site = this.site(siteId);
    const before = site.exits.length;
    if (!site.process.running && site.exits.length > 0) return site.exits[site.exits.length - 1]!;
    await withTimeout(
      `${siteId} exiting by itself`,
      new Promise<void>((resolve) => {
        const check = () => {
          if (site.exits.length > before || !site.process.running) {
            this.exitWaiters.delete(check);
            resolve();
          }
        };
        this.exitWaiters.add(check);
        check();
      }),
      timeoutMs,
    );
    return site.exits[site.exits.length - 1]!;
  }

  freeze(siteId: string): void {
    const site = this.site(siteId);
    site.process.signal("SIGSTOP");
    site.frozen = true;
  }

  thaw(siteId: string): void {
    const site = this.site(siteId);
    site.process.signal("SIGCONT");
    site.frozen = false;
  }

  /** Cuts the link between two sites in both directions (needs `partitions: true`). */
  cut(a: string, b: string, mode: CutMode = "refuse"): void {
    this.requireLinks().cut(a, b, mode);
  }

  heal(a: string, b: string): void {
    this.requireLinks().heal(a, b);
  }

  /** Cuts every link of one site: it keeps serving its own users, alone. */
  isolate(siteId: string, mode: CutMode = "refuse"): void {
    this.requireLinks().isolate(siteId, mode);
  }

  healAll(): void {
    this.links?.healAll();
  }

  /** The last `count` log lines (of one site, or all), for a failed test's report. */
  recentLogs(count = 400, siteId?: string): string {
    const lines = siteId ? this.logs.filter((l) => l.startsWith(`[${siteId}] `)) : this.logs;
    return lines.slice(-count).join("\n");
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.sites.map((s) => s.process.stop(3_000)));
    await this.links?.close();
    if (!this.options.keepData) rmSync(this.root, { recursive: true, force: true });
  }

  private launch(site: TestSite, extraEnv: Record<string, string> = {}): void {
    site.process.start(extraEnv);
    registerPid(site.process.pid);
  }

  private onExit(site: TestSite, code: number | null, signal: NodeJS.Signals | null): void {
    unregisterPid(site.process.pid);
    site.frozen = false;
    site.exits.push({ code, signal, atMs: Date.now() });
    for (const waiter of [...this.exitWaiters]) waiter();
  }

  private requireLinks(): Links {
    if (!this.links) throw new Error("this cluster was started without { partitions: true }");
    return this.links;
  }

  private log(line: string): void {
    this.logs.push(line);
    if (this.logs.length > 5_000) this.logs.splice(0, 1_000);
    this.options.onLine?.(line);
    if (process.env.GROUPSHOT_E2E_LOGS) console.log(line);
  }
}
