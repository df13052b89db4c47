// The end-of-run checks (SPEC §4), once everything is healed and quiet. Each returns the
// violations it found, as sentences; an empty list means the guarantee held.
//  - through the public API, on every site: every acknowledged event, photo and ballot is
//    present; anything aborted is absent; each event looks the same on all four sites;
//  - through each site's SQLite database, read-only after the sites are stopped: the same digest
//    of replicated state everywhere, nothing prepared, in doubt or in an outbox, the same
//    montage image per version, every decision agreed by every participant (a decision never
//    changes, a commit had every YES), publication only with every contributor's accept.
import { replicatedView, type Person } from "../../e2e/support/api";
import { convergenceProblems } from "../../e2e/support/convergence";
import type { SiteState } from "../../e2e/support/state-digest";
import type { BallotRecord, Workload } from "./workload";

type Site = { siteId: string; url: string };

/** Every acknowledged thing is where it must be, as each site's public API shows it. */
export async function checkThroughApi(sites: readonly Site[], workload: Workload, viewer: Person): Promise<string[]> {
  const violations: string[] = [];
  const photosByEvent = new Map<string, Map<string, string>>(); // eventId → photoId → photo's site view key
  for (const event of workload.events.values()) {
    const views = new Map<string, ReturnType<typeof replicatedView> | null>();
    for (const site of sites) {
      let answer: Awaited<ReturnType<Person["event"]>>;
      try {
        answer = await viewer.event(event.eventId, site.url, { timeoutMs: 30_000 });
      } catch (error) {
        violations.push(`${site.siteId} did not answer for event ${event.eventId}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (answer.ok) views.set(site.siteId, replicatedView(answer.data));
      else if (answer.status === 404) views.set(site.siteId, null);
      else violations.push(`${site.siteId} answered ${answer.status} for event ${event.eventId}`);
    }
    const present = [...views.entries()].filter(([, v]) => v !== null);
    if (event.ack === "committed" && present.length !== sites.length) {
      violations.push(`event ${event.eventId} was acknowledged as committed by ${event.site} but is missing on ${sites.filter((s) => !views.get(s.siteId)).map((s) => s.siteId).join(", ")}`);
    }
    if (event.ack === "aborted" && present.length > 0) violations.push(`event ${event.eventId} aborted at ${event.site} but exists on ${present.map(([id]) => id).join(", ")}`);
    if (present.length > 0 && present.length < sites.length) violations.push(`event ${event.eventId} is on ${present.map(([id]) => id).join(", ")} only (all or none)`);
    const shapes = new Set(present.map(([, v]) => JSON.stringify(v)));
    if (shapes.size > 1) violations.push(`event ${event.eventId} differs between sites: ${present.map(([id, v]) => `${id}=${JSON.stringify(v)}`).join(" | ")}`);
    const first = present[0]?.[1];
    if (first) {
      photosByEvent.set(event.eventId, new Map(first.photos.map((p) => [p.photoId, p.photoId])));
      if (first.status === "voting") violations.push(`event ${event.eventId} still has an open ballot window after quiescence`);
    }
  }
  for (const photo of workload.photos.values()) {
    const seen = photosByEvent.get(photo.eventId)?.has(photo.photoId) ?? false;
    if (photo.ack === "committed" && !seen) violations.push(`photo ${photo.photoId} (event ${photo.eventId}) was acknowledged as committed by ${photo.site} but is not shown`);
    if (photo.ack === "aborted" && seen) violations.push(`photo ${photo.photoId} aborted at ${photo.site} but is shown`);
  }
  return violations;
}

/** The sites' databases, read after they stopped: convergence and the protocol's promises. */
export function checkDatabases(states: readonly SiteState[], ballots: readonly BallotRecord[]): string[] {
  const violations = [...convergenceProblems(states)];
  const first = states[0];
  if (!first) return ["no site state was read"];

  // Every acknowledged ballot is on every site, with its decision.
  for (const ballot of ballots) {
    for (const state of states) {
      const row = state.ballots.find((b) => b.eventId === ballot.eventId && b.version === ballot.version && b.round === ballot.round && b.userId === ballot.userId);
      if (!row) violations.push(`${ballot.name}'s ${ballot.decision} for ${ballot.eventId} v${ballot.version} round ${ballot.round} (acknowledged by ${ballot.site}) is missing on ${state.siteId}`);
      else if (row.decision !== ballot.decision) violations.push(`${ballot.name}'s ballot for ${ballot.eventId} v${ballot.version} round ${ballot.round} is ${row.decision} on ${state.siteId}, ${ballot.decision} was acknowledged`);
    }
  }

  // A decision never changes, and every participant applied the coordinator's decision.
  for (const state of states) {
    for (const [txId, fate] of state.participantFate) {
      const coordinator = txId.slice(0, txId.indexOf("."));
      const decider = states.find((s) => s.siteId === coordinator);
      const decision = decider?.coordinatorDecision.get(txId);
      if (fate === "committed" && decision !== "commit") violations.push(`${state.siteId} committed ${txId} but its coordinator ${coordinator} decided ${decision ?? "nothing"}`);
      if (fate === "aborted" && decision === "commit") violations.push(`${state.siteId} aborted ${txId} but its coordinator ${coordinator} decided commit`);
    }
    for (const [txId, decisions] of state.coordinatorDecisions) {
      if (new Set(decisions).size > 1) violations.push(`${state.siteId} logged two different decisions for ${txId}: ${decisions.join(", ")}`);
    }
  }

  // Per event: versions 1..n, one photo each; a publication has every contributor's accept.
  for (const event of first.events) {
    const photos = first.photos.filter((p) => p.eventId === event.id).sort((a, b) => a.version - b.version);
    if (photos.length !== event.montageVersion || photos.some((p, i) => p.version !== i + 1)) {
      violations.push(`event ${event.id}: montage version ${event.montageVersion} but photo versions ${photos.map((p) => p.version).join(",")}`);
    }
    if (event.publishedVersion !== null) {
      const version = event.publishedVersion;
      if (version !== event.montageVersion) violations.push(`event ${event.id}: published v${version} but a photo was added after (v${event.montageVersion})`);
      const contributors = new Set(photos.filter((p) => p.version <= version).map((p) => p.uploaderId));
      // The round that published: the version's last (a new round opens only after an abort).
      const round = first.rounds.filter((r) => r.eventId === event.id && r.version === version).sort((a, b) => b.round - a.round)[0];
      if (round?.outcome !== "published") violations.push(`event ${event.id} published v${version} but its last round says ${round?.outcome ?? "nothing"}`);
      for (const userId of contributors) {
        const accepted = first.ballots.some((b) => b.eventId === event.id && b.version === version && b.round === round?.round && b.userId === userId && b.decision === "accept");
        if (!accepted) violations.push(`event ${event.id} published v${version} without an accept from contributor ${userId} in round ${round?.round ?? "?"}`);
      }
    }
  }
  return violations;
}
