import "server-only";
import type { TransactionAnswer } from "@/lib/api/contract";
import { badRequest, notFound } from "@/lib/errors";
import type { ProductEngine, ProductSite } from "../ports/site";
import { publicState, siteAcks } from "../outcome-view";

const txIdFormat = /^[a-z][a-z0-9-]{0,31}\.[0-9a-f-]{36}$/;

/** A transaction's outcome as this site knows it (authoritative where it was coordinated). */
export function getTransaction(options: { site: ProductSite; engine: ProductEngine; txId: string }): TransactionAnswer {
  const { site, engine, txId } = options;
  if (!txIdFormat.test(txId)) throw badRequest("Not a transaction id.");
  const coordinator = txId.slice(0, txId.indexOf("."));
  if (coordinator !== site.config.siteId && !site.config.sites.some((s) => s.siteId === coordinator)) throw notFound("No such transaction.");
  // Read-only: a transaction minted here that is neither live nor logged was forgotten by a
  // restart before any decision, so it can never commit. Answering that needs no write (the
  // engine fences only when a participant inquires), so a made-up id changes nothing.
  const live = engine.isCoordinating(txId);
  const records = engine.logFor(txId);
  const logged = records.length > 0;
  if (!live && !logged) {
    if (coordinator === site.config.siteId) {
      return { txId, kind: "", status: "aborted", reason: "presumed abort: not decided before a restart", sites: siteAcks(site.config.sites.map((s) => s.siteId), null) };
    }
    throw notFound("This site knows nothing of that transaction.");
  }
  const outcome = engine.outcome(txId);
  if (outcome.state === "unknown") throw notFound("This site knows nothing of that transaction.");
  // Every site that voted yes (the coordinator included) logged the change with its kind.
  const prepared = records.find((r) => r.kind === "participant.prepared");
  return {
    txId,
    kind: prepared?.kind === "participant.prepared" ? prepared.change.kind : "",
    status: publicState(outcome),
    reason: outcome.reason ?? null,
    sites: siteAcks(site.config.sites.map((s) => s.siteId), outcome),
  };
}
