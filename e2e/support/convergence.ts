// Checks that every site tells the same story (SPEC §4): through the public API and through a
// read-only look at each site's database. Each helper polls until the condition holds or its
// time runs out, then throws with what it last saw.
import type { EventView, HealthAnswer } from "../../lib/api/contract";
import { health, replicatedView, type Person } from "./api";
import type { Cluster } from "./cluster";
import { readSiteState, type SiteState } from "./state-digest";
import { waitFor } from "./wait";

export type Quiet = Record<string, HealthAnswer>;

/**
 * Waits until every running site sees every peer reachable, has an empty backlog to each and
 * nothing in doubt: the cluster has nothing left to deliver or decide.
 */
export async function waitQuiescent(cluster: Cluster, timeoutMs = 60_000): Promise<Quiet> {
  return waitFor(
    "quiescence (all peers reachable, backlog 0, nothing in doubt)",
    async () => {
      const answers: Quiet = {};
      for (const site of cluster.sites) {
        const h = await health(site.url, 10_000);
        const busy = h.peers.filter((p) => !p.reachable || p.backlog > 0);
        if (h.inDoubt.length > 0 || busy.length > 0) {
          throw new Error(`${site.siteId}: inDoubt ${JSON.stringify(h.inDoubt.map((t) => t.txId))}, peers ${JSON.stringify(busy.map((p) => [p.siteId, p.reachable, p.backlog]))}`);
        }
        answers[site.siteId] = h;
      }
      return answers;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/** Waits until `eventId` is visible on every site with the same replicated content; returns each site's view. */
export async function eventEverywhere(
  cluster: Cluster,
  viewer: Person,
  eventId: string,
  accept: (view: EventView) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<Record<string, EventView>> {
  return waitFor(
    `event ${eventId} identical on every site`,
    async () => {
      const views: Record<string, EventView> = {};
      for (const site of cluster.sites) {
        const answer = await viewer.event(eventId, site.url, { timeoutMs: 15_000 });
        if (!answer.ok) throw new Error(`${site.siteId}: ${answer.status} ${answer.message}`);
        if (!accept(answer.data)) throw new Error(`${site.siteId}: ${JSON.stringify(replicatedView(answer.data))}`);
        views[site.siteId] = answer.data;
      }
      const shapes = Object.entries(views).map(([siteId, v]) => [siteId, JSON.stringify(replicatedView(v))] as const);
      const first = shapes[0]?.[1];
      const odd = shapes.filter(([, s]) => s !== first);
      if (odd.length > 0) throw new Error(`sites differ: ${shapes.map(([id, s]) => `${id}=${s}`).join(" | ")}`);
      return views;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/** Asserts that no site has `eventId` (404 everywhere, at once: nothing is pending any more). */
export async function eventNowhere(cluster: Cluster, viewer: Person, eventId: string): Promise<void> {
  for (const site of cluster.sites) {
    const answer = await viewer.event(eventId, site.url, { timeoutMs: 30_000 });
    if (answer.status !== 404) throw new Error(`${site.siteId} answers ${answer.status} for ${eventId}, expected 404`);
  }
}

/**
 * Reads every site's database read-only and checks that they have converged: the same digest
 * of events, photos, ballots and decided rounds; nothing prepared, in doubt or in an outbox.
 * Returns the states (for further checks) or throws naming the differences.
 */
export async function databasesConverged(cluster: Cluster, timeoutMs = 60_000): Promise<SiteState[]> {
  return waitFor(
    "every site's database converged",
    () => {
      const states = cluster.sites.map((s) => readSiteState(s.siteId, s.dataDir));
      const problems = convergenceProblems(states);
      if (problems.length > 0) throw new Error(problems.join("; "));
      return states;
    },
    { timeoutMs, intervalMs: 300 },
  );
}

/** What differs between the sites' states, or is left over; empty when converged. */
export function convergenceProblems(states: readonly SiteState[]): string[] {
  const problems: string[] = [];
  const first = states[0];
  if (!first) return problems;
  for (const state of states) {
    if (state.preparedChanges.length > 0) problems.push(`${state.siteId} holds prepared changes ${state.preparedChanges.join(",")}`);
    if (state.inDoubt.length > 0) problems.push(`${state.siteId} is in doubt about ${state.inDoubt.join(",")}`);
    if (state.outboxRows > 0) problems.push(`${state.siteId} has ${state.outboxRows} outbox rows`);
    if (state.digest !== first.digest) problems.push(`${state.siteId} digest ${state.digest.slice(0, 12)} ≠ ${first.siteId} ${first.digest.slice(0, 12)}: ${describeDifference(first, state)}`);
  }
  // The same montage version is the same image on every site that built it.
  const montages = new Map<string, { hash: string; siteId: string }>();
  for (const state of states) {
    for (const [version, hash] of state.montages) {
      const seen = montages.get(version);
      if (!seen) montages.set(version, { hash, siteId: state.siteId });
      else if (seen.hash !== hash) problems.push(`montage ${version} differs: ${seen.siteId} ${seen.hash.slice(0, 12)} vs ${state.siteId} ${hash.slice(0, 12)}`);
    }
  }
  return problems;
}

function describeDifference(a: SiteState, b: SiteState): string {
  const diff = <T>(name: string, x: T[], y: T[]) => {
    const xs = new Set(x.map((v) => JSON.stringify(v)));
    const ys = new Set(y.map((v) => JSON.stringify(v)));
    const onlyX = [...xs].filter((v) => !ys.has(v));
    const onlyY = [...ys].filter((v) => !xs.has(v));
    return onlyX.length + onlyY.length === 0 ? [] : [`${name}: only ${a.siteId} ${onlyX.slice(0, 3).join(" ")} / only ${b.siteId} ${onlyY.slice(0, 3).join(" ")}`];
  };
  const parts = [
    ...diff("events", a.events, b.events),
    ...diff("photos", a.photos, b.photos),
    ...diff("ballots", a.ballots, b.ballots),
    ...diff(
      "rounds",
      a.rounds.filter((r) => r.outcome !== null),
      b.rounds.filter((r) => r.outcome !== null),
    ),
  ];
  return parts.length > 0 ? parts.join("; ") : "columns outside the summary differ (times, names, hashes)";
}
