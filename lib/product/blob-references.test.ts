import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { migrate } from "@/lib/db/migrate";
import { BlobCollector } from "@/lib/store/blob-collector";
import { BlobStore } from "@/lib/store/blob-store";
import { blobReferences } from "./blob-references";

const HOUR = 3_600_000;

describe("BlobCollector (real files and a migrated database)", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("keeps what a photo or a prepared change names, collects the rest, spares a blob written again", async () => {
    const root = mkdtempSync(join(tmpdir(), "groupshot-gc-"));
    dirs.push(root);
    const blobs = new BlobStore(join(root, "blobs"));
    const db = new Database(join(root, "site.db"));
    migrate(db);
    const write = (text: string) => blobs.write(Buffer.from(text));
    const [display, tile, original, preparedTile, removed, rewritten, montage] = ["display", "tile", "original", "prepared", "removed", "again", "montage"].map(write) as string[];
    db.prepare(`INSERT INTO "Event" (id, title, homeSite, creatorId, creatorName, createdAtMs) VALUES ('ev1', 't', 's0', 'u', 'U', 0)`).run();
    db.prepare(
      `INSERT INTO "Photo" (id, eventId, uploaderId, uploaderName, originSite, sha256, displayHash, tileHash, width, height, version, createdAtMs, originalHash)
       VALUES ('ph1', 'ev1', 'u', 'U', 's0', 'x', ?, ?, 1, 1, 1, 0, ?)`,
    ).run(display, tile, original);
    db.prepare(`INSERT INTO "PreparedChange" (txId, eventId, kind, change, createdAtMs) VALUES ('tx1', 'ev1', 'add-photo', ?, 0)`).run(JSON.stringify({ tileHash: preparedTile }));
    const temp = join(root, "blobs", "ab", ".0a1b2c3d-0000-4000-8000-000000000000.tmp");
    mkdirSync(join(root, "blobs", "ab"), { recursive: true });
    writeFileSync(temp, "half a write");
    const old = new Date(Date.now() - 2 * HOUR);
    for (const hash of [display, tile, original, preparedTile, removed, rewritten, montage] as string[]) utimesSync(join(root, "blobs", hash.slice(0, 2), hash), old, old);
    utimesSync(temp, old, old);
    write("again"); // uploaded again (after its photo was removed): its grace period starts again

    const collector = new BlobCollector({ blobs, referenced: blobReferences(db, (h) => h === montage), graceMs: HOUR, filesPerPass: 1_000 });
    const pass = await collector.pass();
    assert.equal(pass.collected, 1);
    assert.equal(pass.collectedBytes, "removed".length);
    assert.equal(pass.tempFiles, 1);
    for (const kept of [display, tile, original, preparedTile, rewritten, montage] as string[]) assert.ok(blobs.has(kept), `kept ${kept.slice(0, 8)}`);
    assert.equal(blobs.has(removed as string), false);
    db.close();
  });
});
