// One chaos run: four sites with link proxies, a workload of simulated people, faults from the
// seed; then calm (heal, thaw, restart clean), quiescence (bounded), and the checks. Every
// process it started is stopped by PID at the end, also on failure (the caller adds Ctrl-C).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Prng } from "../../lib/twopc/sim/prng";
import { Cluster, FAST_TIMEOUTS } from "../../e2e/support/cluster";
import { health } from "../../e2e/support/api";
import { readSiteState } from "../../e2e/support/state-digest";
import { checkDatabases, checkThroughApi } from "./checks";
import { FaultInjector } from "./faults";
import { Workload } from "./workload";

export type ChaosOptions = {
  seconds: number;
  seed: number;
  concurrency: number;
  /** Print the fault journal and every site line (noisy). */
  verbose: boolean;
  /** Keep the data folders even when the run passes. */
  keepData: boolean;
  log: (line: string) => void;
};

export type ChaosResult = {
  faults: number;
  transactions: number;
  violations: string[];
  dataDir: string;
  summary: string[];
};

/** How long the end may take: settling, quiescence and reading the databases. */
const QUIESCENCE_MS = 120_000;

export async function runChaos(options: ChaosOptions, onCluster: (cluster: Cluster) => void): Promise<ChaosResult> {
  const { seconds, seed, log } = options;
  const root = mkdtempSync(join(tmpdir(), `groupshot-chaos-${seed}-`));
  const prng = new Prng(seed);
  const violations: string[] = [];
  const summary: string[] = [];
  log(`chaos: seed ${seed}, ${seconds} s of faults, data in ${root}`);
  const cluster = await Cluster.start({
    root,
    keepData: true,
    partitions: true,
    env: {
      ...FAST_TIMEOUTS,
      BALLOT_WINDOW_MS: "6000",
      LOG_LEVEL: "warn",
      // Small limits keep montages (built on every site after every photo) cheap.
      MAX_PHOTOS_PER_PERSON: "4",
    },
    onLine: options.verbose ? (line) => log(line) : undefined,
  });
  onCluster(cluster);
  let result: ChaosResult | undefined;
  try {
    const workload = new Workload({
      sites: cluster.sites,
      prng: new Prng(seed ^ 0x5eed),
      limits: {
        people: 8,
        concurrency: options.concurrency,
        // Few events, so each gathers several contributors and rounds get decided both ways.
        maxEvents: Math.min(12, 4 + Math.ceil(seconds / 60)),
        maxPhotosPerEvent: 8,
        maxRequests: 40 * seconds + 200,
        requestTimeoutMs: 15_000,
        retries: 2,
      },
      log,
    });
    await workload.join();
    const faults = new FaultInjector({ cluster, prng, maxImpaired: 2, maxCuts: 2, maxGapMs: 2_000, log: options.verbose ? log : () => undefined });
    const started = Date.now();
    const progress = setInterval(() => {
      const c = workload.counts;
      log(`chaos: +${Math.round((Date.now() - started) / 1_000)} s: ${faults.total} faults, ${c.requests} requests (${c.created} events, ${c.uploaded} photos, ${c.voted} ballots acknowledged, ${c.noAnswer} without answer)`);
    }, 10_000);
    const running = workload.run();
    const injecting = faults.run();
    await sleep(seconds * 1_000);

    // ---- calm: stop faults and people, heal everything, restart every site clean ----
    faults.stop();
    await injecting;
    await faults.calm();
    workload.stop();
    await running;
    clearInterval(progress);
    log(`chaos: calm after ${Math.round((Date.now() - started) / 1_000)} s; waiting for quiescence`);

    // ---- quiescence (bounded): pending answers settle, backlogs drain, windows close ----
    const quietBy = Date.now() + QUIESCENCE_MS;
    violations.push(...(await workload.settlePending(QUIESCENCE_MS)));
    const quiet = (await waitRoundsClosed(cluster, workload, quietBy)) ?? (await waitQuiet(cluster, quietBy));
    if (quiet) violations.push(quiet);
    violations.push(...(await checkThroughApi(cluster.sites, workload, workload.anyone())));

    // ---- the databases, read-only, after a clean stop ----
    await Promise.all(cluster.sites.map((s) => s.process.stop(10_000)));
    const states = cluster.sites.map((s) => readSiteState(s.siteId, s.dataDir));
    violations.push(...checkDatabases(states, workload.ballots));

    const transactions = states.reduce((n, s) => n + s.decided.commit + s.decided.abort, 0);
    const commits = states.reduce((n, s) => n + s.decided.commit, 0);
    const c = workload.counts;
    const f = faults.counts;
    const acks = (records: Iterable<{ ack: string }>) => {
      const list = [...records];
      return `${list.filter((r) => r.ack === "committed").length} committed, ${list.filter((r) => r.ack === "aborted").length} aborted after "pending"`;
    };
    const first = states[0];
    summary.push(
      `faults: ${f.kill} kills, ${f.freeze} freezes, ${f.partition} partitions, ${f.armed} armed crash points (${f.failpointCrash} hit)`,
      `workload: ${c.requests} requests, ${c.answered} answered, ${c.noAnswer} without answer, ${c.refused} refused; ${workload.unknown.length} requests of unknown outcome after retries`,
      `acknowledged: events ${acks(workload.events.values())}; photos ${acks(workload.photos.values())}; ${c.voted} ballots`,
      `2PC: ${transactions} transactions decided (${commits} committed), ${states.reduce((n, s) => n + s.decided.fenced, 0)} presumed-abort fences`,
      `aborts by reason: ${topReasons(states)}`,
      `state: ${first?.events.length ?? 0} events, ${first?.photos.length ?? 0} photos, ${first?.ballots.length ?? 0} ballots, ${first?.events.filter((e) => e.publishedVersion !== null).length ?? 0} published; digest ${first?.digest.slice(0, 16) ?? "-"} on ${states.filter((s) => s.digest === first?.digest).length} of ${states.length} sites`,
    );
    if (options.verbose) summary.push(...faults.journal.map((line) => `  ${line}`));
    result = { faults: faults.total, transactions, violations, dataDir: root, summary };
    return result;
  } finally {
    await cluster.stop();
    if (!options.keepData && result && result.violations.length === 0) {
      const { rmSync } = await import("node:fs");
      rmSync(root, { recursive: true, force: true });
    }
  }
}

/** Waits until no event has an open ballot window on any site (the home decides at the deadline). */
async function waitRoundsClosed(cluster: Cluster, workload: Workload, byMs: number): Promise<string | undefined> {
  const viewer = workload.anyone();
  let open: string[] = [];
  while (Date.now() < byMs) {
    open = [];
    for (const event of workload.events.values()) {
      for (const site of cluster.sites) {
        const view = await viewer.event(event.eventId, site.url, { timeoutMs: 10_000 }).catch(() => undefined);
        if (view?.ok && view.data.status === "voting") open.push(`${event.eventId}@${site.siteId}`);
      }
    }
    if (open.length === 0) return undefined;
    await sleep(500);
  }
  return `ballot windows still open ${QUIESCENCE_MS / 1_000} s after healing: ${open.join(", ")}`;
}

/** Waits until every site is reachable from every other, with no backlog and nothing in doubt. */
async function waitQuiet(cluster: Cluster, byMs: number): Promise<string | undefined> {
  let last = "";
  while (Date.now() < byMs) {
    try {
      const problems: string[] = [];
      for (const site of cluster.sites) {
        const h = await health(site.url, 10_000);
        if (h.inDoubt.length > 0) problems.push(`${site.siteId} in doubt about ${h.inDoubt.map((t) => t.txId).join(",")}`);
        for (const peer of h.peers) if (!peer.reachable || peer.backlog > 0) problems.push(`${site.siteId}→${peer.siteId} reachable=${peer.reachable} backlog=${peer.backlog}`);
      }
      if (problems.length === 0) return undefined;
      last = problems.join("; ");
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(500);
  }
  return `not quiescent within ${QUIESCENCE_MS / 1_000} s of healing: ${last}`;
}

function topReasons(states: ReadonlyArray<{ abortReasons: Map<string, number> }>): string {
  const all = new Map<string, number>();
  for (const state of states) for (const [reason, n] of state.abortReasons) all.set(reason, (all.get(reason) ?? 0) + n);
  return [...all].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([reason, n]) => `${n}× "${reason}"`).join(", ") || "none";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
