// Montages (lib/product/montages.ts) on a migrated in-memory database and a temp blob store:
// the page image is built alone first, the download on demand, both byte-identical on two
// "sites" that hold the same photos, and builds of one version are shared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { migrate } from "@/lib/db/migrate";
import { BlobStore } from "@/lib/store/blob-store";
import { buildMontage, MONTAGE_FULL, MONTAGE_PREVIEW, processUpload } from "@/lib/images";
import { makePhoto } from "@/lib/images/fixtures";
import { Montages } from "./montages";
import { repoOf } from "./repo";

const EVENT = "ev_aaaaaaaaaaaa";

function site(dir: string, name: string) {
  const db = new Database(":memory:");
  migrate(db);
  const blobs = new BlobStore(join(dir, name, "blobs"));
  const root = join(dir, name, "montages");
  // Long delays: these tests decide when what is built.
  const montages = new Montages({ db, blobs, root, prebuildDelayMs: 60_000, fullBuildDelayMs: 60_000 });
  repoOf(db).insertEvent({ eventId: EVENT, title: "Picnic", homeSite: "s0", creatorId: "u_c", creatorName: "Cora", createdAtMs: 1 });
  return { db, blobs, root, montages };
}

/** Display images as processUpload makes them (the montage's source), 320×240. */
async function tiles(count: number): Promise<Uint8Array[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => (await processUpload(await makePhoto({ widthPx: 320, heightPx: 240, seed: 40 + i, noiseAmplitude: 10 }))).display.bytes),
  );
}

/** What the library is given for these photos, in montage order. */
function libraryPhotos(bytes: readonly Uint8Array[], indexes: readonly number[] = bytes.map((_, i) => i)) {
  return indexes.map((i) => ({ id: `ph_${String(i).padStart(12, "p")}`, widthPx: 320, heightPx: 240, read: () => Promise.resolve(bytes[i] as Uint8Array) }));
}

function addPhotos(s: ReturnType<typeof site>, tileBytes: readonly Uint8Array[], capturedAtMs: (i: number) => number | null = () => null): void {
  tileBytes.forEach((bytes, i) => {
    const tileHash = s.blobs.write(bytes);
    repoOf(s.db).insertPhoto({
      eventId: EVENT,
      photoId: `ph_${String(i).padStart(12, "p")}`,
      uploaderId: "u_ana",
      uploaderName: "Ana",
      originSite: "s0",
      sha256: String(i).padStart(64, "0"),
      displayHash: tileHash,
      tileHash,
      width: 320,
      height: 240,
      createdAtMs: 2 + i,
      capturedAtMs: capturedAtMs(i),
    });
  });
}

test("the page image is built alone; the download on request; both are the library's bytes, the same on two sites", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groupshot-montages-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tileBytes = await tiles(5);
  const [a, b] = [site(dir, "a"), site(dir, "b")];
  addPhotos(a, tileBytes);
  addPhotos(b, [...tileBytes]);

  const [preview, again] = await Promise.all([a.montages.get(EVENT, 5, "preview"), a.montages.get(EVENT, 5, "preview")]);
  assert.equal(again, preview, "concurrent requests share one build");
  assert.ok(existsSync(join(a.root, `${EVENT}.v5.preview.json`)));
  assert.equal(existsSync(join(a.root, `${EVENT}.v5.json`)), false, "no download built for a page image");
  const library = await buildMontage(libraryPhotos(tileBytes), MONTAGE_PREVIEW);
  assert.equal(preview, library.sha256);
  assert.ok(a.blobs.has(preview));

  const full = await a.montages.get(EVENT, 5, "full");
  assert.ok(a.blobs.has(full));
  assert.notEqual(full, preview);
  assert.ok(existsSync(join(a.root, `${EVENT}.v5.json`)), "both sizes recorded once the download is built");
  const fullBytes = a.blobs.read(full);
  assert.ok(fullBytes);
  assert.equal((await buildMontage(libraryPhotos(tileBytes), MONTAGE_FULL)).sha256, full);

  // Another site with the same photos: byte-identical, whichever size it builds first.
  assert.equal(await b.montages.get(EVENT, 5, "full"), full);
  assert.equal(await b.montages.get(EVENT, 5, "preview"), preview);
  // Earlier versions are their own montages.
  assert.notEqual(await a.montages.get(EVENT, 4, "preview"), preview);
  // Stored answers survive a restart (a new Montages on the same folders).
  const restarted = new Montages({ db: a.db, blobs: a.blobs, root: a.root, prebuildDelayMs: 60_000, fullBuildDelayMs: 60_000 });
  assert.equal(await restarted.get(EVENT, 5, "full"), full);
  assert.equal(await restarted.get(EVENT, 5, "preview"), preview);
});

async function until(condition: () => boolean): Promise<boolean> {
  for (let i = 0; i < 1_000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return condition();
}

test("after a commit (the engine's hook) the latest version's page image, then its download, are built by themselves", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groupshot-montages-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = site(dir, "a");
  addPhotos(s, await tiles(2));
  const montages = new Montages({ db: s.db, blobs: s.blobs, root: s.root, prebuildDelayMs: 20, fullBuildDelayMs: 20 });
  assert.equal(await montages.get(EVENT, 1), undefined, "the hook does not wait for a build");
  await montages.get(EVENT, 2);
  assert.equal(existsSync(join(s.root, `${EVENT}.v2.preview.json`)), false, "nothing is built at once");
  assert.ok(await until(() => existsSync(join(s.root, `${EVENT}.v2.json`))), "page image and download of the latest version");
  assert.ok(existsSync(join(s.root, `${EVENT}.v2.preview.json`)));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(existsSync(join(s.root, `${EVENT}.v1.preview.json`)), false, "nothing for a version superseded before anyone asked");
  assert.equal(existsSync(join(s.root, `${EVENT}.v1.json`)), false);
});

test("a version this site does not have all photos of is refused", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groupshot-montages-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = site(dir, "a");
  addPhotos(s, await tiles(1));
  await assert.rejects(s.montages.get(EVENT, 2, "preview"), /1 photos here/);
});

test("after a removal the current version is built without the photo; a version that had it is gone, one before it stays", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groupshot-montages-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tileBytes = await tiles(3);
  const [a, b] = [site(dir, "a"), site(dir, "b")];
  addPhotos(a, tileBytes);
  addPhotos(b, tileBytes);
  const beforeRemoval = await a.montages.get(EVENT, 3, "preview"); // built while v3 was current
  for (const s of [a, b]) assert.equal(repoOf(s.db).removePhoto(EVENT, "ph_ppppppppppp1"), 4);
  const [onA, onB] = [await a.montages.get(EVENT, 4, "preview"), await b.montages.get(EVENT, 4, "preview")];
  assert.equal(onA, onB, "the same bytes on both sites");
  const expected = await buildMontage(libraryPhotos(tileBytes, [0, 2]), MONTAGE_PREVIEW);
  assert.equal(onA, expected.sha256, "exactly the photos left");
  assert.notEqual(onA, beforeRemoval);
  await assert.rejects(b.montages.get(EVENT, 2, "preview"), { name: "AppError", code: "not_found" }, "v2 had the removed photo: never built again");
  assert.equal(await b.montages.get(EVENT, 1, "preview"), (await buildMontage(libraryPhotos(tileBytes, [0]), MONTAGE_PREVIEW)).sha256);
});

test("photos are placed by capture time (then upload time, then id), whatever order they were added in", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groupshot-montages-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tileBytes = await tiles(4);
  const s = site(dir, "a");
  // Taken: photo 2 first, then 0, then 3 (unknown: its upload time, 5, comes after 4); 1 last.
  const takenAtMs = [4, 9, 1, null];
  addPhotos(s, tileBytes, (i) => takenAtMs[i] ?? null);
  const built = await s.montages.get(EVENT, 4, "preview");
  assert.equal(built, (await buildMontage(libraryPhotos(tileBytes, [2, 0, 3, 1]), MONTAGE_PREVIEW)).sha256);
  assert.notEqual(built, (await buildMontage(libraryPhotos(tileBytes), MONTAGE_PREVIEW)).sha256, "not in upload order");
});

test("the blob collector's view: pointers name their blobs; a superseded version's are forgotten, the latest's kept", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groupshot-montages-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = site(dir, "a");
  addPhotos(s, await tiles(2));
  assert.equal(s.montages.refersTo("f".repeat(64)), true, "until the pointers are loaded every blob counts as referred to");
  const [v1, v2] = [await s.montages.get(EVENT, 1, "preview"), await s.montages.get(EVENT, 2, "preview")];
  await s.montages.loadPointers();
  assert.equal(s.montages.refersTo(v1), true);
  assert.equal(s.montages.refersTo("f".repeat(64)), false);

  assert.equal(await s.montages.forgetSuperseded(), 1);
  assert.equal(s.montages.refersTo(v1), false, "v1 is superseded by v2");
  assert.equal(s.montages.refersTo(v2), true);
  assert.equal(existsSync(join(s.root, `${EVENT}.v1.preview.json`)), false);

  // Asked for again, it is rebuilt and named again (until the next pass forgets it).
  assert.equal(await s.montages.get(EVENT, 1, "preview"), v1);
  assert.equal(s.montages.refersTo(v1), true);
});

test("a pointer whose montage blob is gone is built again; one written while the pointers load is indexed", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groupshot-montages-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const s = site(dir, "a");
  addPhotos(s, await tiles(1));
  const loading = s.montages.loadPointers(); // reads the (empty) folder while the build below writes
  const v1 = await s.montages.get(EVENT, 1, "preview");
  await loading;
  assert.equal(s.montages.refersTo(v1), true, "written during the load, still named after it");

  assert.notEqual(s.blobs.removeIfIdleSync(v1, Date.now() + 1), undefined);
  assert.equal(s.blobs.has(v1), false);
  assert.equal(await s.montages.get(EVENT, 1, "preview"), v1, "the same bytes, built again");
  assert.equal(s.blobs.has(v1), true);
});
