import type { BlobFileEntry, BlobStore } from "./blob-store";

/** The blob store's files as the collector sees them, in memory (the collector's tests). */
export class MemoryBlobFiles implements Pick<BlobStore, "listFolder" | "removeIfIdleSync" | "removeTemp"> {
  readonly files = new Map<string, { kind: "blob" | "temp"; mtimeMs: number; sizeBytes: number }>();

  /** A blob (or, with kind "temp", a temp file named `name`) last written at `mtimeMs`. */
  put(name: string, mtimeMs: number, sizeBytes = 1, kind: "blob" | "temp" = "blob"): void {
    this.files.set(name, { kind, mtimeMs, sizeBytes });
  }

  async listFolder(prefix: string): Promise<BlobFileEntry[]> {
    // A temp file's folder is the first two characters after its dot.
    const folderOf = (name: string, kind: string) => (kind === "temp" ? name.slice(1, 3) : name.slice(0, 2));
    return [...this.files]
      .filter(([name, f]) => folderOf(name, f.kind) === prefix)
      .map(([name, f]) => ({ name, ...f }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  removeIfIdleSync(hash: string, cutoffMs: number): number | undefined {
    const file = this.files.get(hash);
    if (!file || file.kind !== "blob" || file.mtimeMs >= cutoffMs) return undefined;
    this.files.delete(hash);
    return file.sizeBytes;
  }

  async removeTemp(_prefix: string, name: string): Promise<void> {
    this.files.delete(name);
  }
}
