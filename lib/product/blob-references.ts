import type Database from "better-sqlite3";

/**
 * The blobs of `hashes` that something at this site still refers to: a committed photo (its
 * display image, tile or original), a change prepared here and not yet decided (an upload's
 * blobs are named in its PreparedChange row), or a montage kept by `montageRefers`. Synchronous
 * SQL on the engine's own connection, so it sees every committed step and none can run while it
 * reads (the blob collector deletes the rest in the same synchronous block).
 */
export function blobReferences(db: Database.Database, montageRefers: (hash: string) => boolean): (hashes: readonly string[]) => Set<string> {
  const photo = db.prepare(
    `SELECT 1 FROM "Photo" WHERE displayHash = @hash UNION ALL SELECT 1 FROM "Photo" WHERE tileHash = @hash UNION ALL SELECT 1 FROM "Photo" WHERE originalHash = @hash LIMIT 1`,
  );
  const prepared = db.prepare(`SELECT change FROM "PreparedChange"`).pluck();
  return (hashes) => {
    // Few rows (changes prepared and undecided); any mention of a hash keeps its blob.
    const preparedChanges = prepared.all() as string[];
    return new Set(hashes.filter((hash) => montageRefers(hash) || photo.get({ hash }) !== undefined || preparedChanges.some((change) => change.includes(hash))));
  };
}
