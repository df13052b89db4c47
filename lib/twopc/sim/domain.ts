// A small domain for the simulator: per-key append-only lists with a size limit, so some PREPAREs
// vote NO for a domain reason. It also checks what only the domain can see: a change applied twice,
// two txns holding one key, a commit result that does not fit, lists that diverged.
import type { MemoryTx } from "../memory-store";
import type { TwoPcNode } from "../node";
import type { SiteDomain } from "./cluster";
import type { DomainPort } from "../ports/domain";
import type { Change, Json, Resolution, SiteId, TxId, Verdict, Vote } from "../types";

export const LIST_LIMIT = 3;

export interface AppendData {
  item: string;
  /** The coordinator's resolve aborts such a change even when everyone voted yes. */
  veto: boolean;
}

export function appendChange(key: string, data: AppendData): Change {
  return { key, kind: "append", data: { item: data.item, veto: data.veto } };
}

function field(data: Json, name: string): Json | undefined {
  return typeof data === "object" && data !== null && !Array.isArray(data) ? data[name] : undefined;
}

export function readList(get: (key: string) => Json | undefined, key: string): string[] {
  const value = get(`list:${key}`);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function appliedCount(get: (key: string) => Json | undefined, txId: TxId): number {
  const value = get(`applied:${txId}`);
  return typeof value === "number" ? value : 0;
}

export function coordinatorOf(txId: TxId): SiteId {
  return txId.slice(0, txId.indexOf("."));
}

export class SimDomain implements DomainPort<MemoryTx> {
  node: TwoPcNode<MemoryTx> | undefined;

  constructor(
    private readonly site: SiteId,
    private readonly sites: readonly SiteId[],
    private readonly report: (violation: string) => void,
  ) {}

  check(tx: MemoryTx, change: Change): Verdict {
    if (change.kind !== "append") return { vote: "no", code: "malformed", reason: `unknown change kind ${change.kind}` };
    const list = readList((k) => tx.get(k), change.key);
    if (list.length >= LIST_LIMIT) return { vote: "no", code: "list_full", reason: "list full" };
    return { vote: "yes", info: { length: list.length } };
  }

  prepare(tx: MemoryTx, txId: TxId, change: Change): void {
    const holder = tx.get(`held:${change.key}`);
    if (holder !== undefined) this.report(`${this.site}: ${txId} prepared key ${change.key} held by ${String(holder)}`);
    tx.put(`held:${change.key}`, txId);
  }

  commit(tx: MemoryTx, txId: TxId, change: Change, result: Json | undefined): void {
    const applied = appliedCount((k) => tx.get(k), txId);
    if (applied > 0) this.report(`${this.site}: ${txId} applied ${applied + 1} times`);
    tx.put(`applied:${txId}`, applied + 1);
    const list = readList((k) => tx.get(k), change.key);
    const index = field(result ?? null, "index");
    if (index !== list.length) this.report(`${this.site}: ${txId} commit result index ${String(index)} but list has ${list.length}`);
    tx.put(`list:${change.key}`, [...list, String(field(change.data, "item"))]);
    this.release(tx, txId, change);
    if (coordinatorOf(txId) !== this.site) return;
    // A product notification that needs at-least-once delivery but no 2PC.
    for (const peer of this.sites) {
      if (peer !== this.site) this.node?.sendApp(tx, peer, `note:${txId}`, { txId });
    }
  }

  abort(tx: MemoryTx, txId: TxId, change: Change): void {
    this.release(tx, txId, change);
  }

  resolve(change: Change, votes: ReadonlyMap<SiteId, Vote>): Resolution {
    if (field(change.data, "veto") === true) return { decision: "abort", code: "vetoed", reason: "vetoed by resolve" };
    const lengths = new Set([...votes.values()].map((v) => field(v.info ?? null, "length")));
    // Every YES holds the key, so every earlier commit on it is applied everywhere: lengths agree.
    if (lengths.size !== 1) {
      this.report(`lists of ${change.key} diverged at prepare: lengths ${[...lengths].join(", ")}`);
      return { decision: "abort", code: "diverged", reason: "lists diverged" };
    }
    const [length] = lengths;
    return { decision: "commit", result: { index: length ?? null } };
  }

  onMessage(tx: MemoryTx, from: SiteId, payload: Json, key: string): Json {
    const seenKey = `seen:${key}`;
    const seen = tx.get(seenKey);
    const count = (typeof seen === "number" ? seen : 0) + 1;
    tx.put(seenKey, count);
    return { seen: count, from };
  }

  private release(tx: MemoryTx, txId: TxId, change: Change): void {
    const holder = tx.get(`held:${change.key}`);
    if (holder !== txId) this.report(`${this.site}: ${txId} released key ${change.key} held by ${String(holder)}`);
    tx.delete(`held:${change.key}`);
  }
}

/** The toy domain as a simulated site's domain (it sends its APP notes through the site's node). */
export function toyDomain(site: SiteId, sites: readonly SiteId[], report: (violation: string) => void): SiteDomain {
  const domain = new SimDomain(site, sites, report);
  return { port: domain, attach: (node) => (domain.node = node) };
}
