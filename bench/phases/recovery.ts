// Recovery after crashes, timed from the moment the restarted site answers GET /api/health:
//  A. a restarted participant with N in-doubt transactions, whose coordinator decided (commit)
//     while it was down: until its inDoubt list is empty;
//  B. a restarted coordinator that crashed before deciding N transactions its peers had
//     prepared: until no site has them in doubt (presumed abort, after the peers' inquiries);
//  C. a site down while N transactions ran (each answered "pending"): until every site's
//     backlog is 0 and nothing is in doubt.
import { performance } from "node:perf_hooks";
import type { BenchCluster } from "../lib/cluster";
import { health, sleep, type SiteClient } from "../lib/client";
import type { HealthAnswer } from "../../lib/api/contract";
import type { BenchContext } from "../context";

export type RestartTiming = { startToReadyMs: number; resolveMs: number | null; perSiteMs: Record<string, number | null> };
export type RecoveryResult = {
  participantRestart: ({ transactions: number; inDoubtAtRestart: number } & RestartTiming) | { skipped: string };
  coordinatorRestart: ({ transactions: number; inDoubtAtRestart: Record<string, number>; downMs: number } & RestartTiming) | { skipped: string };
  backlogDrain: ({ transactions: number; backlogAtRestart: number; messagesPerSecond: number | null } & RestartTiming) | { skipped: string };
};

const RESOLVE_TIMEOUT_MS = 60_000;

/** Each scenario needs about this long on a busy host (restarts included); later ones are skipped past the deadline. */
const SCENARIO_ESTIMATE_MS = 20_000;

export async function measureRecovery(ctx: BenchContext, cluster: BenchCluster, clients: SiteClient[], sizes: { inDoubt: number; backlog: number; downMs: number; deadline: number }): Promise<RecoveryResult> {
  const result: RecoveryResult = {
    participantRestart: { skipped: "not run" },
    coordinatorRestart: { skipped: "not run" },
    backlogDrain: { skipped: "not run" },
  };
  const at = (siteId: string) => clients.find((c) => c.siteId === siteId) as SiteClient;
  try {
    ctx.log(`  A: restarted participant with ${sizes.inDoubt} in-doubt transactions ...`);
    result.participantRestart = await participantRestart(cluster, at, sizes.inDoubt);
    await converge(cluster);
    // B always runs (it is the scenario where retries, not the restart, set the time); C only if time is left.
    const skip = { skipped: "no time left in the run's budget" };
    ctx.log(`  B: restarted coordinator, ${sizes.inDoubt} transactions in doubt at its peers ...`);
    result.coordinatorRestart = await coordinatorRestart(cluster, at, sizes.inDoubt, sizes.downMs);
    await converge(cluster);
    if (sizes.backlog === 0) result.backlogDrain = { skipped: "not in a quick run" };
    else if (performance.now() + SCENARIO_ESTIMATE_MS < sizes.deadline) {
      ctx.log(`  C: backlog of ${sizes.backlog} transactions for a site that was down ...`);
      result.backlogDrain = await backlogDrain(cluster, clients, sizes.backlog);
      await converge(cluster);
    } else result.backlogDrain = skip;
    for (const [name, value] of Object.entries(result)) if ("skipped" in value) ctx.notes.push(`recovery ${name}: skipped (${value.skipped})`);
  } catch (error) {
    ctx.notes.push(`recovery: ${error instanceof Error ? error.message : String(error)}`);
    for (const site of cluster.sites) {
      if (!site.process.running) await cluster.restart(site.siteId).catch(() => undefined);
      else cluster.thaw(site.siteId);
    }
  }
  return result;
}

/** N creates coordinated by `client`, all answered (pending, since a participant is frozen). */
async function pendingCreates(client: SiteClient, count: number, label: string): Promise<string[]> {
  const answers = await Promise.all(Array.from({ length: count }, (_, i) => client.createEvent(`${label} ${i}`)));
  return answers.map((a) => a.body.txId);
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = RESOLVE_TIMEOUT_MS, intervalMs = 20): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Starts a killed site and returns when it first answers GET /api/health (polled every 20 ms), with that answer. */
async function startAndTimeReady(cluster: BenchCluster, siteId: string): Promise<{ readyAt: number; startToReadyMs: number; first: HealthAnswer }> {
  const site = cluster.site(siteId);
  const start = performance.now();
  site.process.start();
  let first: HealthAnswer | undefined;
  await waitUntil(`${siteId} to answer`, async () => {
    first = await health(site.url, 500);
    return true;
  });
  const readyAt = performance.now();
  if (!first) throw new Error(`${siteId} gave no health answer`);
  return { readyAt, startToReadyMs: readyAt - start, first };
}

/** Polls each site's in-doubt list (and backlog if asked) until empty; the time each took from `since`. */
async function timeUntilQuiet(cluster: BenchCluster, siteIds: string[], since: number, options: { backlog: boolean }): Promise<{ resolveMs: number; perSiteMs: Record<string, number | null> }> {
  const perSiteMs: Record<string, number | null> = Object.fromEntries(siteIds.map((id) => [id, null]));
  await waitUntil("in-doubt transactions to resolve", async () => {
    await Promise.all(
      siteIds
        .filter((id) => perSiteMs[id] === null)
        .map(async (id) => {
          const h = await health(cluster.site(id).url, 1_000);
          const quiet = h.inDoubt.length === 0 && (!options.backlog || h.peers.every((p) => p.backlog === 0));
          if (quiet) perSiteMs[id] = performance.now() - since;
        }),
    );
    return Object.values(perSiteMs).every((v) => v !== null);
  });
  return { resolveMs: Math.max(...Object.values(perSiteMs).map((v) => v ?? Number.NaN)), perSiteMs };
}

async function participantRestart(cluster: BenchCluster, at: (id: string) => SiteClient, count: number): Promise<RecoveryResult["participantRestart"]> {
  cluster.freeze("s3");
  const txIds = await pendingCreates(at("s0"), count, "recovery A");
  await waitUntil("s1 to hold the prepares", async () => (await health(cluster.site("s1").url)).inDoubt.length >= count);
  await cluster.kill("s1");
  cluster.thaw("s3");
  const undecided = new Set(txIds);
  const decide = async () => {
    for (const tx of [...undecided]) if ((await at("s0").transactionStatus(tx)) !== "pending") undecided.delete(tx);
    return undecided.size === 0;
  };
  await waitUntil("s0 to decide", decide, RESOLVE_TIMEOUT_MS, 200);
  const { readyAt, startToReadyMs, first } = await startAndTimeReady(cluster, "s1");
  const inDoubtAtRestart = first.inDoubt.length;
  const timing = await timeUntilQuiet(cluster, ["s1"], readyAt, { backlog: false });
  return { transactions: count, inDoubtAtRestart, startToReadyMs, ...timing };
}

async function coordinatorRestart(cluster: BenchCluster, at: (id: string) => SiteClient, count: number, downMs: number): Promise<RecoveryResult["coordinatorRestart"]> {
  cluster.freeze("s3");
  await pendingCreates(at("s0"), count, "recovery B");
  for (const id of ["s1", "s2"]) await waitUntil(`${id} to hold the prepares`, async () => (await health(cluster.site(id).url)).inDoubt.length >= count);
  await cluster.kill("s0");
  await cluster.kill("s3");
  await sleep(downMs);
  const inDoubtAtRestart: Record<string, number> = {};
  for (const id of ["s1", "s2"]) inDoubtAtRestart[id] = (await health(cluster.site(id).url)).inDoubt.length;
  const { readyAt, startToReadyMs } = await startAndTimeReady(cluster, "s0");
  const timing = await timeUntilQuiet(cluster, ["s0", "s1", "s2"], readyAt, { backlog: false });
  await cluster.restart("s3");
  return { transactions: count, inDoubtAtRestart, downMs, startToReadyMs, ...timing };
}

async function backlogDrain(cluster: BenchCluster, clients: SiteClient[], count: number): Promise<RecoveryResult["backlogDrain"]> {
  await cluster.kill("s3");
  const live = clients.filter((c) => c.siteId !== "s3");
  const batch = 100;
  for (let from = 0; from < count; from += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - from) }, (_, i) => (live[(from + i) % live.length] as SiteClient).createEvent(`recovery C ${from + i}`)));
  }
  let backlogAtRestart = 0;
  for (const site of cluster.sites.filter((s) => s.siteId !== "s3")) {
    backlogAtRestart += (await health(site.url)).peers.find((p) => p.siteId === "s3")?.backlog ?? 0;
  }
  const { readyAt, startToReadyMs } = await startAndTimeReady(cluster, "s3");
  const timing = await timeUntilQuiet(cluster, cluster.sites.map((s) => s.siteId), readyAt, { backlog: true });
  return { transactions: count, backlogAtRestart, startToReadyMs, ...timing, messagesPerSecond: timing.resolveMs > 0 ? (backlogAtRestart * 1000) / timing.resolveMs : null };
}

/** Waits until every site is up, nothing is in doubt and every backlog is empty. */
export async function converge(cluster: BenchCluster, timeoutMs = RESOLVE_TIMEOUT_MS): Promise<void> {
  await waitUntil(
    "the cluster to converge",
    async () => {
      const all = await Promise.all(cluster.sites.map((s) => health(s.url, 1_000)));
      return all.every((h) => h.inDoubt.length === 0 && h.peers.every((p) => p.backlog === 0));
    },
    timeoutMs,
  );
}
