// Per-site resources during a phase: RSS sampled from /proc every 250 ms, CPU time used, and the
// event loop's p99 delay over the whole phase. prom-client resets its event-loop histogram at
// every scrape of GET /metrics, so one scrape at the start and one at the end bracket the phase.
import { existsSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { monitorEventLoopDelay, performance, type IntervalHistogram } from "node:perf_hooks";
import { cpuMs, rssMb, type BenchCluster } from "./cluster";
import { metricValue, metricsText } from "./client";

export type SiteResources = { siteId: string; rssMaxMb: number | null; rssEndMb: number | null; cpuMs: number | null; eventLoopP99Ms: number | null; eventLoopMaxMs: number | null };
/**
 * `controlEventLoopP99Ms`: the bench process's own event-loop delay p99 over the same phase — it
 * mostly waits on sockets, so this is the host's scheduling delay that every site suffers too.
 */
export type PhaseResources = { phase: string; wallMs: number; controlEventLoopP99Ms: number; sites: SiteResources[] };

export class PhaseSampler {
  private readonly rssMax = new Map<string, number>();
  private readonly cpuStart = new Map<string, number | null>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private readonly control: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  private constructor(
    private readonly cluster: BenchCluster,
    readonly phase: string,
  ) {}

  /** Set by --profile: each sampled phase is also CPU-profiled on every site (see cpu-profiler-preload.mjs). */
  static profileDir: string | undefined;

  static async start(cluster: BenchCluster, phase: string): Promise<PhaseSampler> {
    const sampler = new PhaseSampler(cluster, phase);
    if (PhaseSampler.profileDir) for (const site of cluster.sites) site.process.signal("SIGUSR2");
    await Promise.all(cluster.sites.map((s) => metricsText(s.url).catch(() => ""))); // resets the event-loop histogram
    for (const site of cluster.sites) sampler.cpuStart.set(site.siteId, cpuMs(site.process.pid));
    sampler.startedAt = performance.now();
    sampler.control.enable();
    sampler.sample();
    sampler.timer = setInterval(() => sampler.sample(), 250);
    return sampler;
  }

  private sample(): void {
    for (const site of this.cluster.sites) {
      const rss = rssMb(site.process.pid);
      if (rss !== null) this.rssMax.set(site.siteId, Math.max(rss, this.rssMax.get(site.siteId) ?? 0));
    }
  }

  async stop(): Promise<PhaseResources> {
    clearInterval(this.timer);
    this.control.disable();
    this.sample();
    const wallMs = performance.now() - this.startedAt;
    const sites = await Promise.all(
      this.cluster.sites.map(async (site): Promise<SiteResources> => {
        const text = await metricsText(site.url).catch(() => "");
        const p99 = metricValue(text, "nodejs_eventloop_lag_p99_seconds");
        const max = metricValue(text, "nodejs_eventloop_lag_max_seconds");
        const start = this.cpuStart.get(site.siteId) ?? null;
        const end = cpuMs(site.process.pid);
        return {
          siteId: site.siteId,
          rssMaxMb: this.rssMax.get(site.siteId) ?? null,
          rssEndMb: rssMb(site.process.pid),
          cpuMs: start !== null && end !== null ? end - start : null,
          eventLoopP99Ms: p99 === null ? null : p99 * 1000,
          eventLoopMaxMs: max === null ? null : max * 1000,
        };
      }),
    );
    if (PhaseSampler.profileDir) await this.collectProfiles(PhaseSampler.profileDir);
    return { phase: this.phase, wallMs, controlEventLoopP99Ms: this.control.percentile(99) / 1e6, sites };
  }

  /** Stops each site's profiler and names its file after the phase: <phase>--<site>.cpuprofile. */
  private async collectProfiles(dir: string): Promise<void> {
    const slug = this.phase.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    for (const site of this.cluster.sites) {
      const prefix = `${site.siteId}-${site.process.pid ?? ""}-`;
      const before = new Set(readdirSync(dir).filter((f) => f.startsWith(prefix)));
      site.process.signal("SIGUSR2");
      const deadline = performance.now() + 10_000;
      while (performance.now() < deadline) {
        const fresh = readdirSync(dir).find((f) => f.startsWith(prefix) && !before.has(f));
        if (fresh) {
          const target = join(dir, `${slug}--${site.siteId}.cpuprofile`);
          if (!existsSync(target)) renameSync(join(dir, fresh), target);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

/** CPU time all sites used during the phase, or null if any site's is unknown. */
export function sitesCpuMs(resources: PhaseResources): number | null {
  return resources.sites.reduce<number | null>((total, s) => (total === null || s.cpuMs === null ? null : total + s.cpuMs), 0);
}
