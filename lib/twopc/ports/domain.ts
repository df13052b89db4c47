// How a product plugs into the engine: the engine knows transactions, the domain knows what a
// change means. Every method but `resolve` runs inside the runtime's store transaction, with the
// same `tx` handle, so domain writes are atomic with the protocol's log records.
import type { Change, Json, Resolution, SiteId, TxId, Verdict, Vote } from "../types";

export interface DomainPort<Tx> {
  /** Could this site do `change` now? Read-only, against committed state. A throw counts as NO. */
  check(tx: Tx, change: Change): Verdict;
  /** Holds what the change needs (e.g. marks a pending photo) after the YES is logged. */
  prepare(tx: Tx, txId: TxId, change: Change): void;
  /** Applies the change; called exactly once per txn and site, in the txn that logs the commit. */
  commit(tx: Tx, txId: TxId, change: Change, result: Json | undefined): void;
  /** Releases what `prepare` held. Called only for txns this site prepared. */
  abort(tx: Tx, txId: TxId, change: Change): void;
  /** Pure, at the coordinator, once every participant voted yes: commit (with a result) or abort. */
  resolve(change: Change, votes: ReadonlyMap<SiteId, Vote>): Resolution;
  /** Handles an APP message (at-least-once; a duplicate with the same msgId gets the stored reply). */
  onMessage(tx: Tx, from: SiteId, payload: Json, key: string): Json | undefined;
}

/** The default resolution: all voted yes (the core guarantees it before calling), so commit. */
export function commitWhenAllYes(): Resolution {
  return { decision: "commit" };
}
