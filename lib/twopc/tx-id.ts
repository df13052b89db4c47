// Transaction ids: `<site>.<uuid-shaped id>` whose first 48 bits are the coordinator's log
// high-water mark when the txn was minted (a UUIDv8, "custom" layout), the rest random. The mark
// lets a coordinator that prunes its log tell a txn it may have forgotten from one it cannot have
// (docs/PROTOCOL.md, "Pruning the log"). Pure: the caller supplies the mark and the randomness.
import { invariant } from "./errors";
import type { SiteId, TxId } from "./types";

const MAX_MARK = 2 ** 48 - 1;
const HEX_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MINTED = /^[^.]+\.([0-9a-f]{8})-([0-9a-f]{4})-8[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A txn id for `site`, minted when the log's high-water mark was `mark`; `unique` makes it unique (a UUID, or any unique string). */
export function mintTxId(site: SiteId, mark: number, unique: string): TxId {
  invariant(Number.isSafeInteger(mark) && mark >= 0 && mark <= MAX_MARK, `log mark ${mark} out of range`);
  const m = mark.toString(16).padStart(12, "0");
  const r = randomHex(unique);
  return `${site}.${m.slice(0, 8)}-${m.slice(8, 12)}-8${r.slice(0, 3)}-${r.slice(3, 7)}-${r.slice(7, 19)}`;
}

/** The log mark a txn id was minted at; undefined for ids minted before marks (they count as 0). */
export function mintMarkOf(txId: TxId): number | undefined {
  const match = MINTED.exec(txId);
  return match ? parseInt(`${match[1]}${match[2]}`, 16) : undefined;
}

/**
 * Whether the coordinator may have pruned `txId` (minted by it) from its log: only a txn minted
 * below the pruning horizon can have been. One minted at or above it that has no record was
 * never decided (presumed abort).
 */
export function mayBeForgotten(txId: TxId, prunedUpTo: number): boolean {
  return (mintMarkOf(txId) ?? 0) < prunedUpTo;
}

/** 19 hex digits that keep `unique` unique: a UUID's last ones, or a short string's character codes. */
function randomHex(unique: string): string {
  if (HEX_ID.test(unique)) return unique.replace(/-/g, "").slice(-19);
  let hex = "";
  for (const ch of unique) hex += (ch.codePointAt(0) ?? 0).toString(16).padStart(2, "0");
  invariant(hex.length <= 19, `id ${unique} too long to mint a txn id from`);
  return hex.padStart(19, "0");
}
