import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { BlobHashMismatchError, BlobStore, sha256Hex, sha256HexAsync } from "./blob-store";

const dirs: string[] = [];
function freshStore(): { store: BlobStore; root: string } {
  const root = mkdtempSync(join(tmpdir(), "groupshot-blobs-"));
  dirs.push(root);
  return { store: new BlobStore(root), root };
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function bytesOf(text: string, size = 300_000): Uint8Array {
  const out = new Uint8Array(size);
  const seed = Buffer.from(text);
  for (let i = 0; i < size; i++) out[i] = (seed[i % seed.length] ?? 0) ^ (i & 0xff);
  return out;
}

async function* chunksOf(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size);
}

/** Every file under root, temp files included. */
function allFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

describe("BlobStore", () => {
  it("sha256HexAsync equals the synchronous hash", async () => {
    const bytes = bytesOf("hash");
    assert.equal(await sha256HexAsync(bytes), sha256Hex(bytes));
  });

  it("writeAsync stores the bytes under their sha256, like write", async () => {
    const { store, root } = freshStore();
    const a = bytesOf("a");
    const b = bytesOf("b");
    const hashA = await store.writeAsync(a);
    const hashB = store.write(b);
    assert.equal(hashA, sha256Hex(a));
    assert.ok(store.has(hashA) && store.has(hashB));
    assert.deepEqual(new Uint8Array(readFileSync(join(root, hashA.slice(0, 2), hashA))), a);
    assert.deepEqual(await store.readAsync(hashB), store.read(hashB));
    assert.deepEqual(allFiles(root).sort(), [hashA, hashB].sort(), "no temp file is left behind");
  });

  it("writeAsync refuses bytes that do not match the expected hash, and stores nothing", async () => {
    const { store, root } = freshStore();
    const bytes = bytesOf("c");
    await assert.rejects(store.writeAsync(bytes, "0".repeat(64)), BlobHashMismatchError);
    assert.equal(store.has(sha256Hex(bytes)), false);
    assert.deepEqual(allFiles(root), []);
    assert.equal(await store.writeAsync(bytes, sha256Hex(bytes)), sha256Hex(bytes));
  });

  it("writing the same bytes again, at once or later, changes nothing", async () => {
    const { store, root } = freshStore();
    const bytes = bytesOf("d");
    const hashes = await Promise.all([store.writeAsync(bytes), store.writeAsync(bytes), store.writeAsync(bytes)]);
    assert.deepEqual(new Set(hashes), new Set([sha256Hex(bytes)]));
    assert.equal(store.write(bytes), hashes[0]);
    assert.equal(await store.writeAsync(bytes), hashes[0]);
    assert.deepEqual(allFiles(root), [hashes[0]]);
  });

  it("has() is false until writeAsync has resolved (the blob is durable only then)", async () => {
    const { store, root } = freshStore();
    const bytes = bytesOf("e", 2_000_000);
    const hash = sha256Hex(bytes);
    const path = join(root, hash.slice(0, 2), hash);
    let resolved = false;
    const write = store.writeAsync(bytes).then((h) => {
      resolved = true;
      return h;
    });
    let checks = 0;
    while (!resolved) {
      if (existsSync(path) && !resolved) assert.equal(store.has(hash), false, "the file is visible but its write has not resolved");
      checks++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(await write, hash);
    assert.ok(checks > 0);
    assert.equal(store.has(hash), true);
  });

  it("has() stays true while the same, already stored bytes are written again", async () => {
    const { store } = freshStore();
    const bytes = bytesOf("g", 2_000_000);
    const hash = await store.writeAsync(bytes);
    let done = false;
    const again = store.writeAsync(bytes).finally(() => (done = true));
    while (!done) {
      assert.equal(store.has(hash), true);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(await again, hash);
  });

  it("writeStream stores chunks that hash to their name, durably, with no temp file left", async () => {
    const { store, root } = freshStore();
    const bytes = bytesOf("s", 1_000_000);
    const hash = sha256Hex(bytes);
    assert.equal(await store.writeStream(chunksOf(bytes), hash), hash);
    assert.equal(store.has(hash), true);
    assert.deepEqual(await store.readAsync(hash), Buffer.from(bytes));
    // Again, at once and later: the same blob, one file.
    assert.deepEqual(await Promise.all([store.writeStream(chunksOf(bytes), hash), store.writeStream(chunksOf(bytes), hash)]), [hash, hash]);
    assert.deepEqual(allFiles(root), [hash]);
  });

  it("writeStream refuses chunks that do not hash to the name and stores nothing, not even a temp file", async () => {
    const { store, root } = freshStore();
    const bytes = bytesOf("t", 500_000);
    const name = "a".repeat(64);
    await assert.rejects(store.writeStream(chunksOf(bytes), name), BlobHashMismatchError);
    assert.equal(store.has(name), false);
    assert.deepEqual(allFiles(root), []);
  });

  it("writeStream stores nothing when its source fails midway (a peer that went away)", async () => {
    const { store, root } = freshStore();
    async function* broken() {
      yield bytesOf("u", 100_000);
      throw new Error("aborted");
    }
    await assert.rejects(store.writeStream(broken(), "b".repeat(64)), /aborted/);
    assert.deepEqual(allFiles(root), []);
  });

  it("readAsync of an unknown blob is undefined", async () => {
    const { store } = freshStore();
    assert.equal(await store.readAsync("f".repeat(64)), undefined);
  });
});
