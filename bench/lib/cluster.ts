// A cluster of real sites for the bench: site processes (scripts/site.sh) from the bench's own build
// (GROUPSHOT_DIST_DIR, default .next-bench), on free loopback ports, each with a fresh data
// folder under the run's temp folder. Every process is registered for cleanup.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { siteEnv, type SitePlan } from "../../scripts/lib/cluster-env";
import { SiteProcess } from "../../scripts/lib/site-process";
import { benchPorts } from "./ports";
import type { ProcessRegistry } from "./processes";

export type BenchSite = SitePlan & { process: SiteProcess };

export type BenchClusterOptions = {
  name: string;
  count: number;
  root: string;
  processes: ProcessRegistry;
  /** Environment for every site. */
  env?: Record<string, string>;
  /** Environment for one site (e.g. FAILPOINTS). */
  siteEnv?: (siteId: string) => Record<string, string>;
};

/**
 * Limits raised so one bench user can fill an event with 2,000 photos, and the engine-level bench
 * endpoint served (signed internal API; inert by default); everything else is the default.
 */
export const BENCH_SITE_ENV: Record<string, string> = {
  MAX_PHOTOS_PER_PERSON: "2000",
  MAX_CONTRIBUTORS: "1000",
  BENCH_ENGINE_ENDPOINT: "1",
};

export class BenchCluster {
  private readonly logs: string[] = [];

  private constructor(
    readonly name: string,
    readonly sites: BenchSite[],
    private readonly processes: ProcessRegistry,
    /** The cluster's SITE_SECRET, so the bench can time signed internal calls. */
    readonly siteSecret: string,
  ) {}

  static async start(options: BenchClusterOptions): Promise<BenchCluster> {
    const root = join(options.root, options.name);
    mkdirSync(root, { recursive: true });
    const secrets = { siteSecret: randomBytes(32).toString("hex"), sessionPassword: randomBytes(32).toString("hex") };
    const plan: SitePlan[] = (await benchPorts(options.count)).map((port, i) => ({ siteId: `s${i}`, port, url: `http://127.0.0.1:${port}`, dataDir: join(root, `s${i}`) }));
    const sites: BenchSite[] = [];
    const cluster = new BenchCluster(options.name, sites, options.processes, secrets.siteSecret);
    for (const site of plan) {
      const env = siteEnv(site, plan, secrets, {
        GROUPSHOT_PARENT_PID: String(process.pid),
        ...BENCH_SITE_ENV,
        ...options.env,
        ...(options.siteEnv?.(site.siteId) ?? {}),
      });
      const siteProcess = new SiteProcess({ siteId: site.siteId, url: site.url, env, onLine: (line) => cluster.log(line) });
      sites.push({ ...site, process: siteProcess });
    }
    options.processes.addStoppable(cluster);
    try {
      for (const site of sites) site.process.start();
      await Promise.all(sites.map((s) => s.process.waitReady(60_000)));
    } catch (error) {
      await cluster.stop();
      throw new Error(`cluster ${options.name} did not start: ${error instanceof Error ? error.message : String(error)}\n${cluster.tail(40)}`, { cause: error });
    }
    return cluster;
  }

  site(siteId: string): BenchSite {
    const site = this.sites.find((s) => s.siteId === siteId);
    if (!site) throw new Error(`no site ${siteId}`);
    return site;
  }

  pids(): Array<{ siteId: string; pid: number | undefined }> {
    return this.sites.map((s) => ({ siteId: s.siteId, pid: s.process.pid }));
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
    this.processes.forgetStoppable(this);
  }

  /** The last lines the sites printed, for an error message. */
  tail(lines: number): string {
    return this.logs.slice(-lines).join("\n");
  }

  private log(line: string): void {
    this.logs.push(line);
    if (this.logs.length > 4_000) this.logs.splice(0, 1_000);
    if (process.env.GROUPSHOT_BENCH_LOGS) console.log(line);
  }
}

/** Resident set size of a process in MB (VmRSS), or null once it is gone. */
export function rssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
}

/** Peak resident set size of a running process in MB (VmHWM). */
export function peakRssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/PID/stat. */
export function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS_PER_SECOND = 100;
