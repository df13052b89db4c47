// Product-rule and timing bugs planted on purpose, to prove the simulator's product checks bite.
// Each is a wrapper around the real product code (a store view, a domain port around the real
// one, a round step around the real one), so the real code itself stays unchanged. Never used
// outside tests and `simulate --plant`.
import type { BallotRule } from "@/lib/product/ballot-casting";
import { ballotNotice, decideRoundResult, changeKinds, roundOf } from "@/lib/product/changes";
import { MemoryProductStore, type KeyValueTx } from "@/lib/product/memory-product-store";
import type { ProductStore, RoundKey, RoundRow } from "@/lib/product/ports/product-store";
import { ballotRefusal } from "@/lib/product/rules";
import { roundStep, type RoundFacts, type RoundStep } from "@/lib/product/round-step";
import type { DomainPort } from "@/lib/twopc/ports/domain";
import type { Json, SiteId } from "@/lib/twopc/types";

export const PRODUCT_BUGS = [
  /** The add-photo and remove-photo votes do not see an open ballot window. */
  "photo-ignores-open-window",
  /** Casting a ballot does not wait for a prepared photo change of the event. */
  "ballot-while-prepared",
  /** Resolve publishes when nobody rejected, though an accept is missing. */
  "publish-without-every-accept",
  /** One site applies a committed removal by bumping the version but keeps the photo. */
  "removal-skipped-at-one-site",
  /** Every site removes the photo but leaves the montage version as it was. */
  "removal-keeps-version",
  /** The home decides a round once anybody accepted, before every contributor has. */
  "decides-before-every-accept",
  /** A site takes a notice's deadline (the caster's clock) for the window's end instead of timing the window itself. */
  "deadline-on-casters-clock",
  /** A site's decide-round vote carries its ballots of every round of the version, not only the round decided. */
  "counts-stale-round-ballots",
  /** Casting accepts a ballot for a superseded version or an ended round (it goes where the person asked). */
  "superseded-ballot-accepted",
  /** A decide-round commit adds the counted ballots beside those held, instead of making the round's ballots exactly the counted ones. */
  "keeps-uncounted-ballots",
] as const;

export type ProductBug = (typeof PRODUCT_BUGS)[number];

export function isProductBug(name: string): name is ProductBug {
  return (PRODUCT_BUGS as readonly string[]).includes(name);
}

/** The site whose commits "removal-skipped-at-one-site" gets wrong. */
const SKIPPING_SITE = "s3";

/** A store that hides open rounds (what a vote that forgot the window would see). */
class WindowBlindStore extends MemoryProductStore {
  override openRound(): RoundRow | undefined {
    return undefined;
  }
}

/** A store where no prepared change holds an event. */
class PreparedBlindStore extends MemoryProductStore {
  override hasPrepared(): boolean {
    return false;
  }
}

/** A store whose ballots of a site are those of every round of the version (the round forgotten). */
class RoundBlindStore extends MemoryProductStore {
  override ballotsCastAt(key: RoundKey, siteId: string) {
    const rounds = (this.doc(key.eventId)?.rounds ?? []).filter((r) => r.version === key.version);
    return rounds.flatMap((r) => super.ballotsCastAt({ ...key, round: r.round }, siteId));
  }
}

/** A store whose decided rounds keep the ballots they held beside the counted ones (one per person: the first held). */
class UncountedKeepingStore extends MemoryProductStore {
  override decideRound(key: RoundKey, decision: Parameters<MemoryProductStore["decideRound"]>[1], ballots: Parameters<MemoryProductStore["decideRound"]>[2]): boolean {
    const held = this.ballots(key);
    const recorded = super.decideRound(key, decision, []);
    if (!recorded) return false;
    for (const b of held) this.recordBallot(key, b);
    for (const b of ballots) this.recordBallot(key, b);
    return true;
  }
}

/** A store whose removal bumps the version but leaves the photo. */
class RemovalSkippingStore extends MemoryProductStore {
  override removePhoto(eventId: string, _photoId: string): number {
    const doc = this.doc(eventId);
    if (!doc) throw new Error(`remove-photo committed for unknown event ${eventId}`);
    const version = doc.row.montageVersion + 1;
    this.putDoc({ ...doc, row: { ...doc.row, montageVersion: version } });
    return version;
  }
}

/** A store whose removal takes the photo out but leaves the version. */
class VersionKeepingStore extends MemoryProductStore {
  override removePhoto(eventId: string, photoId: string): number {
    const doc = this.doc(eventId);
    if (!doc) throw new Error(`remove-photo committed for unknown event ${eventId}`);
    this.putDoc({ ...doc, photos: doc.photos.filter((p) => p.photoId !== photoId) });
    return doc.row.montageVersion;
  }
}

/**
 * The product store a site's domain sees inside `tx` while it runs `purpose`, with the planted
 * bug's distortion if it has one there.
 */
export function plantedStore(bug: ProductBug | undefined, site: SiteId, tx: KeyValueTx, purpose: "vote-photo" | "commit" | "other"): MemoryProductStore {
  if (bug === "photo-ignores-open-window" && purpose === "vote-photo") return new WindowBlindStore(tx);
  if (bug === "counts-stale-round-ballots" && purpose === "other") return new RoundBlindStore(tx);
  if (bug === "keeps-uncounted-ballots" && purpose === "commit") return new UncountedKeepingStore(tx);
  if (bug === "removal-skipped-at-one-site" && purpose === "commit" && site === SKIPPING_SITE) return new RemovalSkippingStore(tx);
  if (bug === "removal-keeps-version" && purpose === "commit") return new VersionKeepingStore(tx);
  return new MemoryProductStore(tx);
}

/** The store ballot casting sees (the command's reads and writes). */
export function plantedBallotStore(bug: ProductBug | undefined, tx: KeyValueTx): ProductStore {
  if (bug === "ballot-while-prepared") return new PreparedBlindStore(tx);
  return new MemoryProductStore(tx);
}

/** The ballot rule casting applies (the real one, or the planted bug's). */
export function plantedBallotRule(bug: ProductBug | undefined): BallotRule {
  if (bug !== "superseded-ballot-accepted") return ballotRefusal;
  // Judges the ballot as if it were for the current version and the round it would go into.
  return (state) => ballotRefusal({ ...state, ballotVersion: state.currentVersion, requestedRound: undefined });
}

/** The real domain port with the planted bug's change of behaviour around it. */
export function plantedDomain<Tx extends KeyValueTx>(bug: ProductBug | undefined, inner: DomainPort<Tx>): DomainPort<Tx> {
  switch (bug) {
    case "publish-without-every-accept":
      return {
        ...inner,
        resolve(change, votes) {
          const resolution = inner.resolve(change, votes);
          if (change.kind !== changeKinds.decideRound || resolution.decision !== "commit") return resolution;
          const result = decideRoundResult.parse(resolution.result);
          if (result.outcome === "published" || result.ballots.some((b) => b.decision === "reject")) return resolution;
          return { decision: "commit", result: { ...result, outcome: "published", reason: "Everyone accepted." } satisfies Json };
        },
      };
    case "deadline-on-casters-clock":
      return {
        ...inner,
        onMessage(tx, from, payload, key) {
          const answer = inner.onMessage(tx, from, payload, key);
          const notice = ballotNotice.safeParse(payload);
          const store = new MemoryProductStore(tx);
          if (notice.success && store.event(notice.data.eventId)) {
            const n = notice.data;
            // openWindow keeps the earlier deadline: the caster's, when its clock is behind.
            store.openWindow({ eventId: n.eventId, version: n.version, round: roundOf(n) }, { openedAtMs: n.castAtMs, deadlineMs: n.deadlineMs });
          }
          return answer;
        },
      };
    default:
      return inner;
  }
}

/** The home's round step, as the planted bug would take it. */
export function plantedRoundStep(bug: ProductBug | undefined, facts: RoundFacts): RoundStep {
  const step = roundStep(facts);
  if (bug !== "decides-before-every-accept" || step.kind !== "wait" || !facts.round) return step;
  if (!facts.ballots.some((b) => b.decision === "accept")) return step;
  const early = roundStep({ ...facts, remainingMs: 0 });
  return early.kind === "decide" ? { kind: "decide", data: { ...early.data, decidedAtMs: facts.nowMs } } : step;
}
