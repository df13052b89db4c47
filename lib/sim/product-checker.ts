// The product's guarantees (SPEC §4), checked against every site's committed state after every
// step of a simulated run, from the simulator's own ground truth (which ballots were cast for
// which version, which photo changes committed), never from the product's own bookkeeping:
//   §4.4 no photo is committed (added or removed) while a ballot window is open for the event
//        anywhere: at each photo change's commit decision no site has an open round, and no site
//        ever has a window open on a version older than one committed somewhere;
//   §4.5 a published version has, at the publishing site, an accept from every uploader of that
//        version's photos;
//   §4.7 a montage version means one photo set everywhere, each version differs from the one
//        before by exactly one committed add (the new photo carries the version) or one
//        committed removal (so a removed photo is in no later version);
//   §4.8 a ballot counts only for the round and version it was cast in: every ballot a site
//        holds for (version, round) was cast for exactly that round; a decision counts only
//        ballots cast in its round, one per person, and misses none that a site held where it was
//        cast; once a site applied a round's decision it holds exactly the counted ballots (so a
//        late ballot never joins a decided round, and the same person voting at two sites at once
//        leaves every site with the same ballot); the outcome is what those ballots say; a round
//        that timed out was begun deciding no earlier, in TRUE time, than one window after its
//        first ballot — whatever any site's clock said or how it jumped (a home that restarted
//        may be early by at most its clock's forward jumps since, docs/PROTOCOL.md "Deadlines");
//   §4.1/4.6 after heal: the same events, photos, versions, rounds, ballots and outcomes on
//        every site, no window left open, no prepared change left holding an event.
import { decideRoundData, decideRoundResult, roundOf, type BallotRecord } from "@/lib/product/changes";
import type { RoundKey } from "@/lib/product/ports/product-store";
import type { Change, TxId } from "@/lib/twopc/types";
import type { EventDoc } from "@/lib/product/memory-product-store";
import type { SimCluster, SimSite } from "@/lib/twopc/sim/cluster";
import type { SiteId } from "@/lib/twopc/types";
import { committedProduct } from "./product-site";

interface FirstBallot {
  /** True (scheduler) time of the round's first ballot attempt anywhere. */
  trueMs: number;
  home: SiteId;
  /** The home's clock jumps forward since then, added up, and whether it restarted since. */
  homeForwardJumpsMs: number;
  homeRestarted: boolean;
}

const ballotId = (b: BallotRecord) => `${b.userId}|${b.decision}|${b.reason ?? ""}|${b.site}|${b.castAtMs}`;
const roundId = (k: RoundKey) => `${k.eventId}@${k.version}#${k.round}`;
const photoEntry = (p: { photoId: string; version: number; uploaderId: string }) => `${p.photoId}@${p.version}@${p.uploaderId}`;

export class ProductChecker {
  /** "E@v" → the photo set of that version ("id@version@uploader", sorted, joined), and who saw it first. */
  private readonly versionPhotos = new Map<string, { photos: string; site: SiteId }>();
  private readonly maxVersion = new Map<string, number>();
  /** "E@v#r" → every ballot attempted for that round (cast inside a store transaction). */
  private readonly attempted = new Map<string, Set<string>>();
  private readonly firstBallot = new Map<string, FirstBallot>();
  private readonly committedAdds = new Set<string>();
  private readonly committedRemovals = new Set<string>();
  /** Per site, the store commit count already checked. */
  private readonly checkedAt = new Map<SiteId, number>();
  private readonly judged = new Set<string>();
  /** "E@v#r" → the decision every site must apply for that round (the first one seen). */
  private readonly decisions = new Map<string, { txId: TxId; ballots: string[] }>();

  constructor(
    private readonly deps: {
      cluster: SimCluster;
      ballotWindowMs: number;
      trueNowMs: () => number;
      /** Whether a transaction that adds (or removes) this photo committed, per the sites' logs. */
      photoChangeCommittedInLogs: (kind: "add" | "remove", eventId: string, photoId: string) => boolean;
      /** The decide-round transaction (and its result) whose commit `site` applied for this round, from its log. */
      decisionAt: (site: SimSite, key: RoundKey) => { txId: TxId; result: unknown } | undefined;
      /** True time the decide-round transaction was begun at. */
      decideBegunAtMs: (txId: TxId) => number | undefined;
      violation: (text: string) => void;
    },
  ) {}

  // ---- ground truth, told by the simulator ----

  /** A ballot was cast (its transaction may still fail on the disk: an attempt is enough to be genuine). */
  ballotAttempted(key: RoundKey, ballot: BallotRecord, home: SiteId): void {
    const id = roundId(key);
    let set = this.attempted.get(id);
    if (!set) this.attempted.set(id, (set = new Set()));
    set.add(ballotId(ballot));
    if (!this.firstBallot.has(id)) this.firstBallot.set(id, { trueMs: this.deps.trueNowMs(), home, homeForwardJumpsMs: 0, homeRestarted: false });
  }

  /** A site's clock jumped by `ms` (either way). */
  clockChanged(site: SimSite, ms: number): void {
    if (ms <= 0) return;
    for (const first of this.firstBallot.values()) if (first.home === site.id) first.homeForwardJumpsMs += ms;
  }

  /** A site (re)started: a home resumes timing its rounds from their durable deadlines. */
  siteRestarted(id: SiteId): void {
    for (const first of this.firstBallot.values()) if (first.home === id) first.homeRestarted = true;
  }

  /**
   * The home decided to commit a decide-round transaction: at this moment every site that cast
   * a ballot in that round holds it (a site that voted YES is prepared and takes no more), so the
   * counted set must carry a ballot of each such person.
   */
  roundDecisionTaken(txId: TxId, change: Change, result: unknown): void {
    const data = decideRoundData.safeParse(change.data);
    const outcome = decideRoundResult.safeParse(result);
    if (!data.success || !outcome.success) return this.deps.violation(`§4.8: decide-round ${txId} committed without a readable round or result`);
    const key = { eventId: data.data.eventId, version: data.data.version, round: roundOf(data.data) };
    const counted = new Set(outcome.data.ballots.map((b) => b.userId));
    for (const site of this.deps.cluster.sites.values()) {
      for (const b of committedProduct(site.store).ballotsCastAt(key, site.id)) {
        if (!counted.has(b.userId)) {
          this.deps.violation(`§4.8: ${txId} decided ${roundId(key)} without ${b.userId}'s ${b.decision}, held at ${site.id} where it was cast`);
        }
      }
    }
  }

  /** The coordinator decided to commit a photo change of `eventId` (add or remove of `photoId`). */
  photoChangeCommitted(txId: string, kind: "add" | "remove", eventId: string, photoId: string): void {
    (kind === "add" ? this.committedAdds : this.committedRemovals).add(`${eventId}:${photoId}`);
    for (const site of this.deps.cluster.sites.values()) {
      const open = committedProduct(site.store).openRound(eventId);
      if (open) this.deps.violation(`§4.4: ${txId} (${kind} photo ${photoId}) committed while ${site.id} has the ballot window of ${eventId} v${open.version} open`);
    }
  }

  // ---- after every step ----

  scan(): void {
    for (const site of this.deps.cluster.sites.values()) {
      if (this.checkedAt.get(site.id) === site.commits) continue;
      this.checkedAt.set(site.id, site.commits);
      this.checkSite(site);
    }
  }

  private checkSite(site: SimSite): void {
    const store = committedProduct(site.store);
    for (const eventId of store.eventIds()) {
      const doc = store.eventDoc(eventId);
      if (doc) this.checkEvent(site.id, doc);
    }
  }

  private checkEvent(site: SiteId, doc: Readonly<EventDoc>): void {
    const eventId = doc.row.id;
    this.registerVersion(site, eventId, doc.row.montageVersion, doc.photos.map(photoEntry).sort().join(" "));
    const newest = this.maxVersion.get(eventId) ?? 0;
    for (const round of doc.rounds) {
      if (round.outcome === null && round.version < newest) {
        this.deps.violation(`§4.4: ${site} has the window of ${eventId} v${round.version} open, but v${newest} is committed`);
      }
      if (round.outcome !== null) this.judgeRound(site, doc, round, round.outcome);
    }
    for (const ballot of doc.ballots) {
      const key = { eventId, version: ballot.version, round: ballot.round };
      if (!this.attempted.get(roundId(key))?.has(ballotId(ballot))) {
        this.deps.violation(`§4.8: ${site} holds ${ballot.userId}'s ${ballot.decision} (cast at ${ballot.site}) in ${roundId(key)}, never cast in that round`);
      }
      if (!doc.rounds.some((r) => r.version === ballot.version && r.round === ballot.round)) {
        this.deps.violation(`§4.8: ${site} holds ${ballot.userId}'s ballot in ${roundId(key)}, a round it has no window for`);
      }
    }
  }

  private registerVersion(site: SiteId, eventId: string, version: number, photos: string): void {
    const key = `${eventId}@${version}`;
    const seen = this.versionPhotos.get(key);
    if (seen) {
      if (seen.photos !== photos) this.deps.violation(`§4.7: ${eventId} v${version} is [${seen.photos}] at ${seen.site} but [${photos}] at ${site}`);
      return;
    }
    this.versionPhotos.set(key, { photos, site });
    if (version > (this.maxVersion.get(eventId) ?? 0)) this.maxVersion.set(eventId, version);
    const before = this.versionPhotos.get(`${eventId}@${version - 1}`);
    if (before) this.checkStep(eventId, version - 1, before.photos, photos);
    const after = this.versionPhotos.get(`${eventId}@${version + 1}`);
    if (after) this.checkStep(eventId, version, photos, after.photos);
  }

  /** Version `from` + 1 is version `from` with exactly one committed add (of that version) or one committed removal. */
  private checkStep(eventId: string, from: number, before: string, after: string): void {
    const a = new Set(before ? before.split(" ") : []);
    const b = new Set(after ? after.split(" ") : []);
    const added = [...b].filter((x) => !a.has(x));
    const removed = [...a].filter((x) => !b.has(x));
    const what = `${eventId} v${from}→v${from + 1}: +[${added.join(" ")}] -[${removed.join(" ")}]`;
    if (added.length + removed.length !== 1) return this.deps.violation(`§4.7: ${what} is not one photo change`);
    const [photoId, version] = (added[0] ?? removed[0] ?? "").split("@");
    const committed = (kind: "add" | "remove") => this.committedAdds.has(`${eventId}:${photoId}`) && kind === "add" || this.committedRemovals.has(`${eventId}:${photoId}`) && kind === "remove" || this.deps.photoChangeCommittedInLogs(kind, eventId, photoId ?? "");
    if (added.length === 1 && (Number(version) !== from + 1 || !committed("add"))) {
      this.deps.violation(`§4.7: ${what} is not a committed add of that version`);
    }
    if (removed.length === 1 && !committed("remove")) this.deps.violation(`§4.7: ${what} is not a committed removal`);
  }

  private judgeRound(site: SiteId, doc: Readonly<EventDoc>, key: RoundKey, outcome: string): void {
    const id = roundId(key);
    const eventId = doc.row.id;
    const held = doc.ballots.filter((b) => b.version === key.version && b.round === key.round);
    const siteKey = `${site}:${id}`;
    if (!this.judged.has(siteKey)) {
      this.judged.add(siteKey);
      const applied = this.deps.decisionAt(this.deps.cluster.site(site), key);
      if (!applied) return this.deps.violation(`§4.8: ${site} holds ${id} decided ${outcome}, but applied no decide-round transaction of that round`);
      const result = decideRoundResult.safeParse(applied.result);
      if (!result.success) return this.deps.violation(`§4.8: ${site} applied ${applied.txId} for ${id} with an unreadable result`);
      if (result.data.outcome !== outcome) this.deps.violation(`§4.8: ${site} holds ${id} ${outcome}, its decision ${applied.txId} says ${result.data.outcome}`);
      const seen = this.decisions.get(id);
      const counted = result.data.ballots.map(ballotId).sort();
      if (!seen) {
        this.decisions.set(id, { txId: applied.txId, ballots: counted });
        this.judgeDecision(doc, key, applied.txId, result.data);
      } else if (seen.txId !== applied.txId) {
        this.deps.violation(`§4.8: ${id} decided twice: ${seen.txId} and, at ${site}, ${applied.txId}`);
      }
      if (outcome === "published" && doc.row.publishedVersion !== key.version) {
        this.deps.violation(`${site}: ${eventId} v${key.version} published but the event says ${String(doc.row.publishedVersion)}`);
      }
    }
    // Once applied, the round's ballots are the counted set, and stay so (a late ballot never joins).
    const decision = this.decisions.get(id);
    if (decision) {
      const here = held.map(ballotId).sort();
      if (here.join(" ") !== decision.ballots.join(" ")) {
        this.deps.violation(`§4.8: ${site} holds [${here.join(" ")}] in decided ${id}, but its decision ${decision.txId} counted [${decision.ballots.join(" ")}]`);
      }
    }
  }

  /** The decision of one round, judged once against the simulator's ground truth. */
  private judgeDecision(doc: Readonly<EventDoc>, key: RoundKey, txId: TxId, result: { outcome: string; ballots: BallotRecord[] }): void {
    const id = roundId(key);
    const attempted = this.attempted.get(id);
    const byUser = new Map<string, BallotRecord>();
    for (const b of result.ballots) {
      if (!attempted?.has(ballotId(b))) this.deps.violation(`§4.8: ${txId} counted ${b.userId}'s ${b.decision} (cast at ${b.site}) in ${id}, never cast in that round`);
      if (byUser.has(b.userId)) this.deps.violation(`§4.8: ${txId} counted two ballots of ${b.userId} in ${id}`);
      byUser.set(b.userId, b);
    }
    const photos = this.versionPhotos.get(`${key.eventId}@${key.version}`)?.photos;
    if (photos === undefined) return this.deps.violation(`§4.5: ${txId} decided ${id}, a version never seen with its photos`);
    const uploaders = new Set(photos ? photos.split(" ").map((p) => p.split("@")[2] ?? "") : []);
    const everyoneAccepted = uploaders.size > 0 && [...uploaders].every((u) => byUser.get(u)?.decision === "accept");
    const anyReject = result.ballots.some((b) => b.decision === "reject");
    const enough = uploaders.size >= doc.row.minContributors;
    if (result.outcome === "published") {
      if (uploaders.size === 0) this.deps.violation(`§4.5: ${txId} published ${id}, which has no photos`);
      for (const uploader of uploaders) {
        if (byUser.get(uploader)?.decision !== "accept") this.deps.violation(`§4.5: ${txId} published ${id} without an accept from contributor ${uploader} in that round`);
      }
      if (anyReject) this.deps.violation(`§4.5: ${txId} published ${id} over a reject`);
      if (!enough) this.deps.violation(`§4.5: ${txId} published ${id} with ${uploaders.size} contributors, fewer than the ${doc.row.minContributors} the event needs`);
      return;
    }
    if (everyoneAccepted && !anyReject && enough) this.deps.violation(`§4.8: ${txId} aborted ${id} though every contributor accepted in it`);
    // Timed out (no reject, not everyone accepted): the window must have run its length in true time.
    const first = this.firstBallot.get(id);
    const begunAtMs = this.deps.decideBegunAtMs(txId);
    if (anyReject || !first || begunAtMs === undefined) return;
    const slackMs = first.homeRestarted ? first.homeForwardJumpsMs : 0;
    const earliestMs = first.trueMs + this.deps.ballotWindowMs - slackMs;
    if (begunAtMs < earliestMs) {
      this.deps.violation(
        `§4.8: ${id} timed out ${earliestMs - begunAtMs}ms too early: ${txId} began ${begunAtMs - first.trueMs}ms (true time) after the round's first ballot, the window is ${this.deps.ballotWindowMs}ms${slackMs > 0 ? ` (less ${slackMs}ms of the home's forward clock jumps before its restart)` : ""}`,
      );
    }
  }

  // ---- after heal and quiescence ----

  final(): void {
    let reference: { site: SiteId; digest: string } | undefined;
    for (const site of this.deps.cluster.sites.values()) {
      const store = committedProduct(site.store);
      const parts: string[] = [];
      for (const eventId of [...store.eventIds()].sort()) {
        const doc = store.eventDoc(eventId);
        if (!doc) continue;
        for (const round of doc.rounds) if (round.outcome === null) this.deps.violation(`§4.6: ${site.id} still has the window of ${eventId} v${round.version} open after heal`);
        const held = store.heldBy(eventId);
        if (held.length > 0) this.deps.violation(`§4.6: ${site.id} still holds ${eventId} for ${held.join(", ")} after heal`);
        parts.push(digest(doc));
      }
      const text = parts.join("\n");
      if (!reference) reference = { site: site.id, digest: text };
      else if (reference.digest !== text) this.deps.violation(`§4.1/4.6: ${site.id} differs from ${reference.site} after heal:\n${reference.site}: ${reference.digest}\n${site.id}: ${text}`);
    }
  }
}

/** Everything about an event that every site must agree on (windows' local times excluded). */
function digest(doc: Readonly<EventDoc>): string {
  const r = doc.row;
  const photos = doc.photos.map(photoEntry).join(",");
  const rounds = [...doc.rounds]
    .sort((a, b) => a.version - b.version || a.round - b.round)
    .map((x) => `v${x.version}r${x.round}:${String(x.outcome)}:${String(x.reason)}:${String(x.decidedAtMs)}:${JSON.stringify(x.contributors)}`);
  const ballots = [...doc.ballots]
    .sort((a, b) => a.version - b.version || a.round - b.round || (a.userId < b.userId ? -1 : 1))
    .map((b) => `v${b.version}r${b.round}:${ballotId(b)}`);
  return `${r.id} "${r.title}" home ${r.homeSite} by ${r.creatorId} at ${r.createdAtMs} needs ${r.minContributors}; v${r.montageVersion}; published ${String(r.publishedVersion)}@${String(r.publishedAtMs)}; photos ${photos}; rounds ${rounds.join(",")}; ballots ${ballots.join(",")}`;
}
