import { createHash, randomUUID, webcrypto } from "node:crypto";
import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync, type ReadStream } from "node:fs";
import { mkdir, open, readdir, readFile, rename, stat, unlink, utimes, type FileHandle } from "node:fs/promises";
import { join } from "node:path";

export const blobHash = /^[0-9a-f]{64}$/;
/** A write's temp file beside its blob's place (`.<uuid>.tmp`). */
const tempName = /^\.[0-9a-f-]{36}\.tmp$/;

/** One file of a blob folder: a blob (named by its hash) or a leftover temp file. */
export type BlobFileEntry = { kind: "blob" | "temp"; name: string; mtimeMs: number; sizeBytes: number };

/** Bytes offered under a name that is not their sha256: nothing was stored. */
export class BlobHashMismatchError extends Error {
  override name = "BlobHashMismatchError";
  constructor() {
    super("blob content does not match its hash");
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** sha256Hex off the event loop: Web Crypto digests on the libuv pool. */
export async function sha256HexAsync(bytes: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest("SHA-256", bytes)).toString("hex");
}

/**
 * Content-addressed files (photos, tiles, montages) in DATA_DIR/blobs. A write is durable when
 * it returns (or resolves): temp file, fsync, rename, fsync of the folder (and of the root when
 * the folder is new). The same bytes always land at the same name, so writing twice changes
 * nothing and a half-written file is never visible.
 *
 * Two ways to write: `writeAsync` keeps the event loop free (hash on the libuv pool, file I/O
 * and fsyncs through fs.promises) and is what request paths use; `write` is synchronous, for
 * callers that must finish inside a synchronous step. `has` is true only for durable blobs: a
 * blob whose async write has renamed its file but not yet synced its folder is not there yet.
 */
export class BlobStore {
  /** Async writes in progress, by hash: a second write of the same bytes waits for the first. */
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  private pathOf(hash: string): string {
    if (!blobHash.test(hash)) throw new Error(`not a blob hash: ${hash.slice(0, 80)}`);
    return join(/*turbopackIgnore: true*/ this.root, hash.slice(0, 2), hash);
  }

  private folderOf(hash: string): string {
    return join(/*turbopackIgnore: true*/ this.root, hash.slice(0, 2));
  }

  has(hash: string): boolean {
    return existsSync(this.pathOf(hash)) && !this.inFlight.has(hash);
  }

  read(hash: string): Buffer | undefined {
    try {
      return readFileSync(this.pathOf(hash));
    } catch {
      return undefined;
    }
  }

  /** `read` without blocking the event loop. */
  async readAsync(hash: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(hash));
    } catch {
      return undefined;
    }
  }

  /** The blob's size in bytes, or undefined when it is not stored here (async: off the event loop). */
  async sizeOf(hash: string): Promise<number | undefined> {
    if (this.inFlight.has(hash)) return undefined;
    try {
      return (await stat(this.pathOf(hash))).size;
    } catch {
      return undefined;
    }
  }

  /**
   * A stream of the blob's bytes `start..end` (inclusive; the whole blob by default), read in
   * 64 KiB chunks as the consumer asks for them: serving a 20 MB original or a ZIP of a thousand
   * never holds more than a chunk per stream. The caller destroys it if the consumer goes away.
   */
  readStream(hash: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.pathOf(hash), { start: range?.start, end: range?.end, highWaterMark: 64 * 1024 });
  }

  /** Stores `bytes` under their sha256 and returns it; refuses bytes that do not match `expectedHash`. */
  write(bytes: Uint8Array, expectedHash?: string): string {
    const hash = sha256Hex(bytes);
    if (expectedHash !== undefined && expectedHash !== hash) throw new BlobHashMismatchError();
    const path = this.pathOf(hash);
    const folder = this.folderOf(hash);
    if (touchSync(path)) {
      // An async write of these bytes may have renamed its file without syncing the folder yet.
      if (this.inFlight.has(hash)) fsyncPathSync(folder);
      return hash;
    }
    if (mkdirSync(folder, { recursive: true }) !== undefined) fsyncPathSync(this.root);
    const temp = join(folder, `.${randomUUID()}.tmp`);
    const fd = openSync(temp, "w");
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    fsyncPathSync(folder);
    return hash;
  }

  /**
   * `write` without blocking the event loop: same result, same durability when it resolves,
   * same refusal (a rejection) of bytes that do not match `expectedHash`. Concurrent writes of
   * the same bytes share one.
   */
  async writeAsync(bytes: Uint8Array, expectedHash?: string): Promise<string> {
    const hash = await sha256HexAsync(bytes);
    if (expectedHash !== undefined && expectedHash !== hash) throw new BlobHashMismatchError();
    return this.once(hash, async () => {
      const temp = await this.tempFile(hash, (file) => file.writeFile(bytes));
      try {
        return await this.publish(temp, hash);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * Stores a blob that arrives as a stream (a peer's PUT) under `expectedHash`, never holding
   * more than a chunk: the chunks go to a temp file and are hashed as they come, and the file is
   * fsynced and renamed into place only if they hash to `expectedHash` (else it is deleted and
   * this rejects with a BlobHashMismatchError). Durable when it resolves, like `writeAsync`.
   */
  async writeStream(chunks: AsyncIterable<Uint8Array>, expectedHash: string): Promise<string> {
    const temp = await this.tempFile(expectedHash, async (file) => {
      const hash = createHash("sha256");
      for await (const chunk of chunks) {
        hash.update(chunk);
        await file.write(chunk);
      }
      if (hash.digest("hex") !== expectedHash) throw new BlobHashMismatchError();
    });
    let published = false;
    try {
      return await this.once(expectedHash, async () => {
        const hash = await this.publish(temp, expectedHash);
        published = true;
        return hash;
      });
    } finally {
      if (!published) await unlink(temp).catch(() => undefined);
    }
  }

  /**
   * Runs `write` for `hash` unless the blob is stored already (never written twice; its time is
   * renewed instead, so the collector's grace period starts again) or a write of it is in flight
   * (shared). A stored blob is not registered as in flight, so has() never turns false for a
   * durable blob.
   */
  private async once(hash: string, write: () => Promise<string>): Promise<string> {
    const pending = this.inFlight.get(hash);
    if (pending) return pending;
    if (await touch(this.pathOf(hash))) return this.inFlight.get(hash) ?? hash;
    const started = this.inFlight.get(hash); // one may have started while we looked
    if (started) return started;
    const run = write().finally(() => this.inFlight.delete(hash));
    this.inFlight.set(hash, run);
    return run;
  }

  /** A temp file beside `hash`'s place, filled by `fill` and fsynced; its path. Removed again if filling fails. */
  private async tempFile(hash: string, fill: (file: FileHandle) => Promise<void>): Promise<string> {
    const folder = this.folderOf(hash);
    if ((await mkdir(folder, { recursive: true })) !== undefined) await fsyncPath(this.root);
    const temp = join(folder, `.${randomUUID()}.tmp`);
    try {
      const file = await open(temp, "w");
      try {
        await fill(file);
        await file.sync();
      } finally {
        await file.close();
      }
      return temp;
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The files of one of the 256 folders (`prefix`: two hex digits), sorted by name: blobs by
   * hash, and temp files left by writes that never finished (a crash, a failed PUT), each with
   * its modification time (a blob's is renewed by every write of it) and size.
   */
  async listFolder(prefix: string): Promise<BlobFileEntry[]> {
    if (!/^[0-9a-f]{2}$/.test(prefix)) throw new Error(`not a blob folder: ${prefix.slice(0, 80)}`);
    const folder = join(/*turbopackIgnore: true*/ this.root, prefix);
    let names: string[];
    try {
      names = (await readdir(folder)).sort();
    } catch {
      return []; // no blob in this folder yet
    }
    const entries = await Promise.all(
      names.map(async (name): Promise<BlobFileEntry | undefined> => {
        const kind = blobHash.test(name) && name.startsWith(prefix) ? "blob" : tempName.test(name) ? "temp" : undefined;
        if (kind === undefined) return undefined;
        try {
          const info = await stat(join(folder, name));
          return { kind, name, mtimeMs: info.mtimeMs, sizeBytes: info.size };
        } catch {
          return undefined; // gone meanwhile
        }
      }),
    );
    return entries.filter((e) => e !== undefined);
  }

  /**
   * Deletes the blob if no write of it is in flight and it was last written before `cutoffMs`;
   * its size, or undefined when it stays. Synchronous on purpose: the caller checks that nothing
   * refers to the blob and deletes it with no turn of the event loop between, so no 2PC step
   * (which checks `has` and records its reference in one synchronous step) can come in between.
   */
  removeIfIdleSync(hash: string, cutoffMs: number): number | undefined {
    if (this.inFlight.has(hash)) return undefined;
    const path = this.pathOf(hash);
    try {
      const info = statSync(path);
      if (info.mtimeMs >= cutoffMs) return undefined;
      unlinkSync(path);
      return info.size;
    } catch {
      return undefined;
    }
  }

  /** Deletes a leftover temp file of `prefix`'s folder (as listed by listFolder). */
  async removeTemp(prefix: string, name: string): Promise<void> {
    if (!/^[0-9a-f]{2}$/.test(prefix) || !tempName.test(name)) throw new Error(`not a temp file: ${name.slice(0, 80)}`);
    await unlink(join(/*turbopackIgnore: true*/ this.root, prefix, name)).catch(() => undefined);
  }

  /** Moves a fsynced temp file into `hash`'s place; durable (the folder fsynced) when it resolves. */
  private async publish(temp: string, hash: string): Promise<string> {
    await rename(temp, this.pathOf(hash));
    await fsyncPath(this.folderOf(hash));
    return hash;
  }
}

/** Sets the file's times to now; false when there is no such file (collected, or never written). */
async function touch(path: string): Promise<boolean> {
  try {
    const now = new Date();
    await utimes(path, now, now);
    return true;
  } catch {
    return false;
  }
}

function touchSync(path: string): boolean {
  try {
    const now = new Date();
    utimesSync(path, now, now);
    return true;
  } catch {
    return false;
  }
}

function fsyncPathSync(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
