import type { BlobStore } from "./blob-store";

/** What one pass did (the metrics count these; the status line logs them). */
export type CollectionPass = {
  /** Files looked at (blobs and temp files). */
  examined: number;
  /** Blobs older than the grace period that nothing referred to, deleted. */
  collected: number;
  collectedBytes: number;
  /** Temp files of writes that never finished, older than the grace period, deleted. */
  tempFiles: number;
  tempBytes: number;
};

export type BlobCollectorOptions = {
  blobs: Pick<BlobStore, "listFolder" | "removeIfIdleSync" | "removeTemp">;
  /**
   * Of `hashes`, those a committed row or a prepared change still refers to (or a kept montage).
   * Synchronous on purpose: it is asked and the unreferenced blobs deleted with no turn of the
   * event loop between (docs/PROTOCOL.md, "Collecting blobs").
   */
  referenced: (hashes: readonly string[]) => ReadonlySet<string>;
  /** Work done before each pass, e.g. the montages forgetting superseded versions. */
  beforePass?: () => Promise<void>;
  /** A blob written (or written again) less than this long ago stays, referred to or not. */
  graceMs: number;
  /** At most this many files are looked at in one pass. */
  filesPerPass: number;
  nowMs?: () => number;
};

const FOLDERS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Deletes blobs nothing refers to any more: a removed photo's display image, tile and original,
 * an aborted upload's, a superseded montage version's. Each pass looks at no more than
 * `filesPerPass` files, going on from where the last one stopped (a cursor over the 256 hash
 * folders), so a full sweep of a store of n blobs takes n / filesPerPass passes.
 *
 * Never deleted: a blob something refers to when it is deleted (`referenced`, asked in the same
 * synchronous block as the deletion), and a blob written less than `graceMs` ago — one pushed
 * to this site for a PREPARE that has not arrived yet, or written by a montage build whose
 * pointer is not written yet (a write of bytes already stored renews their time).
 */
export class BlobCollector {
  private folder = 0;
  /** How far into the folder at `folder` the last pass got (a folder bigger than one pass). */
  private offset = 0;
  private running: Promise<CollectionPass> | undefined;

  constructor(private readonly options: BlobCollectorOptions) {}

  /** One bounded pass (a pass already running is shared, never two at once). */
  pass(): Promise<CollectionPass> {
    this.running ??= this.runPass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runPass(): Promise<CollectionPass> {
    const { blobs, graceMs, filesPerPass } = this.options;
    const now = this.options.nowMs ?? Date.now;
    await this.options.beforePass?.();
    const result: CollectionPass = { examined: 0, collected: 0, collectedBytes: 0, tempFiles: 0, tempBytes: 0 };
    for (let visited = 0; visited < FOLDERS.length && result.examined < filesPerPass; visited++) {
      const prefix = FOLDERS[this.folder] as string;
      const entries = await blobs.listFolder(prefix);
      const slice = entries.slice(this.offset, this.offset + filesPerPass - result.examined);
      result.examined += slice.length;
      if (this.offset + slice.length < entries.length) this.offset += slice.length;
      else {
        this.offset = 0;
        this.folder = (this.folder + 1) % FOLDERS.length;
      }
      const cutoffMs = now() - graceMs;
      for (const temp of slice.filter((e) => e.kind === "temp" && e.mtimeMs < cutoffMs)) {
        await blobs.removeTemp(prefix, temp.name);
        result.tempFiles += 1;
        result.tempBytes += temp.sizeBytes;
      }
      const old = slice.filter((e) => e.kind === "blob" && e.mtimeMs < cutoffMs).map((e) => e.name);
      if (old.length === 0) continue;
      // One synchronous block: ask what is referred to, delete the rest (each re-checked for age).
      const kept = this.options.referenced(old);
      for (const hash of old) {
        if (kept.has(hash)) continue;
        const size = blobs.removeIfIdleSync(hash, now() - graceMs);
        if (size === undefined) continue;
        result.collected += 1;
        result.collectedBytes += size;
      }
    }
    return result;
  }
}

/** Runs `collector.pass()` every `intervalMs` (unref'd: it never keeps the process alive); returns the stop. */
export function collectEvery(collector: BlobCollector, intervalMs: number, handlers: { passed: (pass: CollectionPass) => void; failed: (error: unknown) => void }): () => void {
  const timer = setInterval(() => {
    collector.pass().then(handlers.passed, handlers.failed);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
