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
//   §4.8 every ballot a site holds for a version was cast for that version; a round that timed
//        out (no reject, an accept missing) was decided no earlier, on the home's clock, than
//        the window after its first ballot — whatever the other sites' clocks said;
//   §4.1/4.6 after heal: the same events, photos, versions, rounds, ballots and outcomes on
//        every site, no window left open, no prepared change left holding an event.
import type { BallotRecord } from "@/lib/product/changes";
import type { EventDoc } from "@/lib/product/memory-product-store";
import type { SimCluster, SimSite } from "@/lib/twopc/sim/cluster";
import type { SiteId } from "@/lib/twopc/types";
import { committedProduct } from "./product-site";

interface FirstBallot {
  /** True (scheduler) time of the version's first ballot attempt anywhere. */
  trueMs: number;
  /** The smallest offset the home's clock had since then (its clock may jump back). */
  minHomeOffsetMs: number;
  home: SiteId;
}

const ballotId = (b: BallotRecord) => `${b.userId}|${b.decision}|${b.site}|${b.castAtMs}`;
const photoEntry = (p: { photoId: string; version: number; uploaderId: string }) => `${p.photoId}@${p.version}@${p.uploaderId}`;

export class ProductChecker {
  /** "E@v" → the photo set of that version ("id@version@uploader", sorted, joined), and who saw it first. */
  private readonly versionPhotos = new Map<string, { photos: string; site: SiteId }>();
  private readonly maxVersion = new Map<string, number>();
  /** "E@v" → every ballot attempted for that version (cast inside a store transaction). */
  private readonly attempted = new Map<string, Set<string>>();
  private readonly firstBallot = new Map<string, FirstBallot>();
  private readonly committedAdds = new Set<string>();
  private readonly committedRemovals = new Set<string>();
  /** Per site, the store commit count already checked. */
  private readonly checkedAt = new Map<SiteId, number>();
  private readonly judged = new Set<string>();

  constructor(
    private readonly deps: {
      cluster: SimCluster;
      ballotWindowMs: number;
      trueNowMs: () => number;
      /** Whether a transaction that adds (or removes) this photo committed, per the sites' logs. */
      photoChangeCommittedInLogs: (kind: "add" | "remove", eventId: string, photoId: string) => boolean;
      violation: (text: string) => void;
    },
  ) {}

  // ---- ground truth, told by the simulator ----

  /** A ballot was cast (its transaction may still fail on the disk: an attempt is enough to be genuine). */
  ballotAttempted(eventId: string, version: number, ballot: BallotRecord, home: SiteId): void {
    const key = `${eventId}@${version}`;
    let set = this.attempted.get(key);
    if (!set) this.attempted.set(key, (set = new Set()));
    set.add(ballotId(ballot));
    if (!this.firstBallot.has(key)) {
      this.firstBallot.set(key, { trueMs: this.deps.trueNowMs(), minHomeOffsetMs: this.deps.cluster.site(home).clockOffsetMs, home });
    }
  }

  /** A site's clock offset changed (a jump either way). */
  clockChanged(site: SimSite): void {
    for (const first of this.firstBallot.values()) {
      if (first.home === site.id) first.minHomeOffsetMs = Math.min(first.minHomeOffsetMs, site.clockOffsetMs);
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
      if (round.outcome !== null) this.judgeRound(site, doc, round.version, round.outcome, round.decidedAtMs);
    }
    for (const ballot of doc.ballots) {
      if (!this.attempted.get(`${eventId}@${ballot.version}`)?.has(ballotId(ballot))) {
        this.deps.violation(`§4.8: ${site} holds ${ballot.userId}'s ${ballot.decision} (cast at ${ballot.site}) for ${eventId} v${ballot.version}, never cast for that version`);
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

  private judgeRound(site: SiteId, doc: Readonly<EventDoc>, version: number, outcome: string, decidedAtMs: number | null): void {
    const eventId = doc.row.id;
    const key = `${site}:${eventId}@${version}`;
    if (this.judged.has(key)) return;
    this.judged.add(key);
    const ballots = doc.ballots.filter((b) => b.version === version);
    if (outcome === "published") {
      const photos = this.versionPhotos.get(`${eventId}@${version}`)?.photos;
      if (photos === undefined) return this.deps.violation(`§4.5: ${site} published ${eventId} v${version}, a version never seen with its photos`);
      const uploaders = new Set(photos ? photos.split(" ").map((p) => p.split("@")[2] ?? "") : []);
      if (uploaders.size === 0) this.deps.violation(`§4.5: ${site} published ${eventId} v${version}, which has no photos`);
      for (const uploader of uploaders) {
        if (!ballots.some((b) => b.userId === uploader && b.decision === "accept")) {
          this.deps.violation(`§4.5: ${site} published ${eventId} v${version} without an accept from contributor ${uploader}`);
        }
      }
      if (doc.row.publishedVersion !== version) this.deps.violation(`${site}: ${eventId} v${version} published but the event says ${String(doc.row.publishedVersion)}`);
    }
    const first = this.firstBallot.get(`${eventId}@${version}`);
    const timedOut = outcome === "aborted" && !ballots.some((b) => b.decision === "reject");
    if (timedOut && first && decidedAtMs !== null) {
      const earliestMs = first.trueMs + first.minHomeOffsetMs + this.deps.ballotWindowMs;
      if (decidedAtMs < earliestMs) {
        this.deps.violation(
          `§4.8: ${eventId} v${version} timed out at ${decidedAtMs} on ${first.home}'s clock, ${earliestMs - decidedAtMs}ms before its window (first ballot + ${this.deps.ballotWindowMs}ms) could end there`,
        );
      }
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
  const rounds = [...doc.rounds].sort((a, b) => a.version - b.version).map((x) => `v${x.version}:${String(x.outcome)}:${String(x.reason)}:${String(x.decidedAtMs)}`);
  const ballots = [...doc.ballots].sort((a, b) => a.version - b.version || (a.userId < b.userId ? -1 : 1)).map((b) => `v${b.version}:${ballotId(b)}`);
  return `${r.id} "${r.title}" home ${r.homeSite} by ${r.creatorId} at ${r.createdAtMs}; v${r.montageVersion}; published ${String(r.publishedVersion)}@${String(r.publishedAtMs)}; photos ${photos}; rounds ${rounds.join(",")}; ballots ${ballots.join(",")}`;
}
