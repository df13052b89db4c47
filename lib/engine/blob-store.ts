import { createHash, randomUUID } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";

export const blobHash = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Content-addressed files (photos, tiles, montages) in DATA_DIR/blobs. A write is durable when
 * it returns: temp file, fsync, rename, fsync of the folder. The same bytes always land at the
 * same name, so writing twice changes nothing and a half-written file is never visible.
 */
export class BlobStore {
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  private pathOf(hash: string): string {
    if (!blobHash.test(hash)) throw new Error(`not a blob hash: ${hash.slice(0, 80)}`);
    return join(/*turbopackIgnore: true*/ this.root, hash.slice(0, 2), hash);
  }

  has(hash: string): boolean {
    return existsSync(this.pathOf(hash));
  }

  read(hash: string): Buffer | undefined {
    try {
      return readFileSync(this.pathOf(hash));
    } catch {
      return undefined;
    }
  }

  /** Stores `bytes` under their sha256 and returns it; refuses bytes that do not match `expectedHash`. */
  write(bytes: Uint8Array, expectedHash?: string): string {
    const hash = sha256Hex(bytes);
    if (expectedHash !== undefined && expectedHash !== hash) throw new Error("blob content does not match its hash");
    const path = this.pathOf(hash);
    if (existsSync(path)) return hash;
    const folder = join(/*turbopackIgnore: true*/ this.root, hash.slice(0, 2));
    mkdirSync(folder, { recursive: true });
    const temp = join(folder, `.${randomUUID()}.tmp`);
    const fd = openSync(temp, "w");
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    const dirFd = openSync(folder, "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    return hash;
  }
}
