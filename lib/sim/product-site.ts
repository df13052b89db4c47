// One simulated site's product: the real domain port (lib/product/domain.ts) over the memory
// twin of the product store, in the engine's MemoryTx, with the site's own clock; plus how the
// simulator reads a site's committed product state (as pages and the round decider do).
import { changeKinds } from "@/lib/product/changes";
import { createDomain } from "@/lib/product/domain";
import { MemoryProductStore, type KeyValueTx } from "@/lib/product/memory-product-store";
import type { Limits } from "@/lib/product/rules";
import type { MemoryStore, MemoryTx } from "@/lib/twopc/memory-store";
import type { DomainPort } from "@/lib/twopc/ports/domain";
import type { SiteDomain } from "@/lib/twopc/sim/cluster";
import { appliedCount } from "@/lib/twopc/sim/domain";
import type { SiteId } from "@/lib/twopc/types";
import { plantedDomain, plantedStore, type ProductBug } from "./product-bugs";

export interface ProductSiteOptions {
  siteId: SiteId;
  bug: ProductBug | undefined;
  limits: Limits;
  ballotWindowMs: number;
  /** The site's clock (true time plus its offset). */
  nowMs: () => number;
  hasBlob: (hash: string) => boolean;
  /** Runs `fn` after the current transaction (on the simulated event queue, if the site is still the same incarnation). */
  defer: (fn: () => void) => void;
  /** A ballot or window became known here (the home's decider looks at the round). */
  ballotsChanged: (eventId: string) => void;
}

const photoKinds: ReadonlySet<string> = new Set([changeKinds.addPhoto, changeKinds.removePhoto]);

export function productDomain(options: ProductSiteOptions): SiteDomain {
  const { siteId, bug } = options;
  // What the domain is doing right now, for the planted bugs that distort one purpose only.
  let purpose: "vote-photo" | "commit" | "other" = "other";
  const real = createDomain<MemoryTx>({
    siteId,
    limits: options.limits,
    ballotWindowMs: options.ballotWindowMs,
    storeOf: (tx) => plantedStore(bug, siteId, tx, purpose),
    nowMsOf: () => options.nowMs(),
    hasBlob: options.hasBlob,
    defer: options.defer,
    hooks: { ballotsChanged: options.ballotsChanged },
  });
  const port: DomainPort<MemoryTx> = {
    ...real,
    check(tx, change) {
      purpose = photoKinds.has(change.kind) ? "vote-photo" : "other";
      try {
        return real.check(tx, change);
      } finally {
        purpose = "other";
      }
    },
    commit(tx, txId, change, result) {
      // Counted in the same transaction, for the engine checker's "applied exactly once".
      tx.put(`applied:${txId}`, appliedCount((k) => tx.get(k), txId) + 1);
      purpose = "commit";
      try {
        real.commit(tx, txId, change, result);
      } finally {
        purpose = "other";
      }
    },
  };
  return { port: plantedDomain(bug, port) };
}

/** A read-only view of a site's committed key/value state. */
export function committedView(store: MemoryStore): KeyValueTx {
  return {
    get: (key) => store.committedValue(key),
    put: () => {
      throw new Error("read-only view");
    },
    delete: () => {
      throw new Error("read-only view");
    },
  };
}

/** The product state a site has committed, read as its pages would. */
export function committedProduct(store: MemoryStore): MemoryProductStore {
  return new MemoryProductStore(committedView(store));
}
