import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { siteEnv, type SitePlan } from "../../scripts/lib/cluster-env";
import { SiteProcess } from "../../scripts/lib/site-process";
import { freePort } from "./free-port";

export type ClusterOptions = {
  count?: number;
  /** Environment for every site (e.g. a short BALLOT_WINDOW_MS). */
  env?: Record<string, string>;
  /** Environment for one site only (e.g. FAILPOINTS on the coordinator). */
  siteEnv?: (siteId: string) => Record<string, string>;
};

export type TestSite = SitePlan & { process: SiteProcess };

/**
 * N real sites (default 4) on free loopback ports with fresh data folders. Every process is
 * stopped by its PID in `stop()`, which tests call in afterEach/afterAll, pass or fail.
 */
export class Cluster {
  readonly logs: string[] = [];
  private constructor(
    readonly sites: TestSite[],
    private readonly root: string,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const count = options.count ?? 4;
    const root = mkdtempSync(join(tmpdir(), "groupshot-e2e-"));
    const secrets = { siteSecret: randomBytes(32).toString("hex"), sessionPassword: randomBytes(32).toString("hex") };
    const plan: SitePlan[] = [];
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      plan.push({ siteId: `s${i}`, port, url: `http://127.0.0.1:${port}`, dataDir: join(root, `s${i}`) });
    }
    const sites: TestSite[] = [];
    const cluster = new Cluster(sites, root);
    for (const site of plan) {
      const env = siteEnv(site, plan, secrets, {
        HEARTBEAT_MS: "500",
        LOG_LEVEL: "info",
        GROUPSHOT_PARENT_PID: String(process.pid),
        ...options.env,
        ...(options.siteEnv?.(site.siteId) ?? {}),
      });
      sites.push({ ...site, process: new SiteProcess({ siteId: site.siteId, url: site.url, env, onLine: (line) => cluster.log(line) }) });
    }
    try {
      for (const site of sites) site.process.start();
      await Promise.all(sites.map((s) => s.process.waitReady(60_000)));
    } catch (error) {
      await cluster.stop();
      throw error;
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

  async kill(siteId: string): Promise<void> {
    await this.site(siteId).process.kill();
  }

  /** Starts a stopped or killed site again on the same data folder and port. */
  async restart(siteId: string, extraEnv: Record<string, string> = {}): Promise<void> {
    const site = this.site(siteId);
    if (site.process.running) await site.process.stop();
    site.process.start(extraEnv);
    await site.process.waitReady(60_000);
  }

  freeze(siteId: string): void {
    this.site(siteId).process.signal("SIGSTOP");
  }

  thaw(siteId: string): void {
    this.site(siteId).process.signal("SIGCONT");
  }

  async stop(): Promise<void> {
    await Promise.all(this.sites.map((s) => s.process.stop(3_000)));
    rmSync(this.root, { recursive: true, force: true });
  }

  private log(line: string): void {
    this.logs.push(line);
    if (this.logs.length > 5_000) this.logs.splice(0, 1_000);
    if (process.env.GROUPSHOT_E2E_LOGS) console.log(line);
  }
}
