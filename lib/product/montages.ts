import { mkdirSync } from "node:fs";
import { readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import { notFound } from "@/lib/errors";
import { buildMontage, MONTAGE_FULL, MONTAGE_PREVIEW, type MontagePhoto } from "@/lib/images";
import type { BlobStore } from "@/lib/store/blob-store";
import { sortPhotos } from "./photo-order";
import { repoOf } from "./repo";
import type Database from "better-sqlite3";

/** The page image (preview) or the download (full). */
export type MontageSize = "preview" | "full";

/** `<event>.v<N>.json`: both sizes, written once the download is built too. */
const bothPointer = z.object({ full: z.string(), preview: z.string(), photoCount: z.number().int() });
/** `<event>.v<N>.preview.json`: the page image alone, until the download is built. */
const previewPointer = z.object({ preview: z.string(), photoCount: z.number().int() });
export type MontageFiles = z.infer<typeof bothPointer>;
const anyPointer = z.object({ full: z.string().optional(), preview: z.string(), photoCount: z.number().int() });
/** A pointer's file name: `<event>.v<N>.json` or `<event>.v<N>.preview.json`. */
const pointerName = /^(.+)\.v(\d+)(?:\.preview)?\.json$/;

/** How long after a commit a site builds the page image nobody has asked for yet (if still the latest). */
export const PREBUILD_DELAY_MS = 2_000;
/** How long after its page image the latest version's download is built, if nobody asked sooner. */
export const FULL_BUILD_DELAY_MS = 5_000;

/**
 * Montages per (event, version), built from the photos' display images in capture-time order
 * (sortPhotos: capture time, upload time, id; a new photo slots in without reshuffling the
 * others) and stored as blobs. Deterministic, so every site builds the same bytes for the same
 * version and size.
 *
 * The page image (preview) is what a refresh waits for, so it is built first and alone: at once
 * when asked for (`get(eventId, version, "preview")`: the page, or the uploader's own site as
 * soon as the photo commits), else PREBUILD_DELAY_MS after the commit (`get(eventId, version)`,
 * the engine's hook at every site) if its version is still the event's latest. So the sites
 * nobody is looking at do not build it on the same two cores while the uploader's site does,
 * and a burst of uploads does not build versions that were superseded before anyone looked.
 * The download (full) is built on demand, or FULL_BUILD_DELAY_MS after the preview when its
 * version is still the latest.
 * Concurrent requests share one build. Nothing here blocks the event loop on I/O: display images are read (a few at a time)
 * and blobs and pointers written asynchronously (blobs durably, before their pointer).
 */
export class Montages {
  private readonly building = new Map<string, Promise<string>>();
  /**
   * The blobs the pointers on disk name, by pointer file name: read once (`loadPointers`, before
   * the blob collector's first pass) and kept in step by every pointer written or forgotten
   * here, so `refersTo` needs no I/O. Until loaded, every blob counts as referred to.
   */
  private pointers: Map<string, string[]> | undefined;
  /** Pointers written or forgotten before the index was loaded: applied over what the load read (they are newer). */
  private readonly beforeLoad = new Map<string, string[]>();
  private loading: Promise<void> | undefined;
  private readonly refs = new Map<string, number>();

  constructor(private readonly options: { db: Database.Database; blobs: BlobStore; root: string; prebuildDelayMs?: number; fullBuildDelayMs?: number }) {
    mkdirSync(options.root, { recursive: true });
  }

  private path(eventId: string, version: number, suffix: string): string {
    return join(/*turbopackIgnore: true*/ this.options.root, `${eventId}.v${version}${suffix}.json`);
  }

  /** Whether a pointer kept here names the blob (true for every blob until the pointers are loaded). */
  refersTo(hash: string): boolean {
    return this.pointers === undefined || this.refs.has(hash);
  }

  /**
   * Forgets the pointers of superseded versions (neither the event's latest nor its published
   * one), at most `limit` of them, so the blob collector can take their montages. A superseded
   * version a contributor asks for again is rebuilt (if it still can be) and forgotten again later.
   */
  async forgetSuperseded(limit = 1_000): Promise<number> {
    await this.loadPointers();
    const repo = repoOf(this.options.db);
    const superseded: string[] = [];
    for (const name of this.pointers?.keys() ?? []) {
      if (superseded.length >= limit) break;
      const parsed = pointerName.exec(name);
      const event = parsed ? repo.event(parsed[1] as string) : undefined;
      if (!parsed || !event) continue; // an event not here (yet): keep
      const version = Number(parsed[2]);
      if (version < event.montageVersion && version !== event.publishedVersion) superseded.push(name);
    }
    for (const name of superseded) {
      this.index(name, []); // first: a pointer rewritten meanwhile only ever keeps more
      await unlink(join(/*turbopackIgnore: true*/ this.options.root, name)).catch(() => undefined);
    }
    return superseded.length;
  }

  /** Reads every pointer once into the index. */
  loadPointers(): Promise<void> {
    this.loading ??= (async () => {
      const found = new Map<string, string[]>();
      for (const name of await readdir(this.options.root)) {
        if (!pointerName.test(name)) continue;
        const pointer = await readPointer(join(/*turbopackIgnore: true*/ this.options.root, name), anyPointer);
        if (pointer) found.set(name, pointerHashes(pointer));
      }
      for (const [name, hashes] of this.beforeLoad) found.set(name, hashes);
      this.beforeLoad.clear();
      this.pointers = new Map();
      for (const [name, hashes] of found) this.index(name, hashes);
    })();
    return this.loading;
  }

  /** The pointer `name` now names `hashes` (none: it is gone). */
  private index(name: string, hashes: readonly string[]): void {
    if (!this.pointers) {
      // Not loaded yet: a load already reading the folder may have missed this one.
      this.beforeLoad.set(name, [...hashes]);
      return;
    }
    for (const hash of this.pointers.get(name) ?? []) {
      const n = (this.refs.get(hash) ?? 1) - 1;
      if (n > 0) this.refs.set(hash, n);
      else this.refs.delete(hash);
    }
    if (hashes.length === 0) this.pointers.delete(name);
    else this.pointers.set(name, [...hashes]);
    for (const hash of hashes) this.refs.set(hash, (this.refs.get(hash) ?? 0) + 1);
  }

  /** Writes a pointer (atomic, not fsynced: a lost one is rebuilt) and indexes it. */
  private async point(path: string, value: z.infer<typeof anyPointer>): Promise<void> {
    await writeFile(`${path}.tmp`, JSON.stringify(value));
    await rename(`${path}.tmp`, path);
    this.index(basename(path), pointerHashes(value));
  }

  /** After a commit (the engine's hook): the page image of `version`, built soon unless superseded. */
  get(eventId: string, version: number): Promise<void>;
  /** The blob hash of the montage of `version` in `size`, built now if needed. */
  get(eventId: string, version: number, size: MontageSize): Promise<string>;
  async get(eventId: string, version: number, size?: MontageSize): Promise<string | void> {
    if (size === undefined) return this.later(eventId, version, "preview", this.options.prebuildDelayMs ?? PREBUILD_DELAY_MS);
    // A pointer is a cache of a deterministic build: one whose blob is gone is built again.
    const stored = await this.stored(eventId, version, size);
    if (stored !== undefined && this.options.blobs.has(stored)) return stored;
    const key = `${eventId}@${version}:${size}`;
    let build = this.building.get(key);
    if (!build) {
      build = (size === "preview" ? this.buildPreview(eventId, version) : this.buildFull(eventId, version)).finally(() => this.building.delete(key));
      this.building.set(key, build);
    }
    return build;
  }

  private async stored(eventId: string, version: number, size: MontageSize): Promise<string | undefined> {
    const both = await readPointer(this.path(eventId, version, ""), bothPointer);
    if (both) return both[size];
    if (size === "preview") return (await readPointer(this.path(eventId, version, ".preview"), previewPointer))?.preview;
    return undefined;
  }

  /** The photos of `version` in montage order, each read from its display image when painted. */
  private photos(eventId: string, version: number): MontagePhoto[] {
    const repo = repoOf(this.options.db);
    const photos = repo.photos(eventId).filter((p) => p.version <= version);
    // The current version is the photos here now. An earlier one can be rebuilt only if every
    // version up to it was an upload still here (no removal since): then it is exactly its photos;
    // otherwise it is gone (a removed photo appears in no montage built after its removal).
    const current = repo.event(eventId)?.montageVersion ?? 0;
    if (version > current) throw new Error(`montage ${eventId} v${version}: this site is at v${current}, ${photos.length} photos here`);
    if (version !== current && photos.length !== version) throw notFound("That montage version is gone: a photo was removed since.");
    return sortPhotos(photos).map((p) => ({
      id: p.photoId,
      widthPx: p.width,
      heightPx: p.height,
      read: async () => {
        const bytes = await this.options.blobs.readAsync(p.displayHash);
        if (!bytes) throw new Error(`display image ${p.displayHash} is missing`);
        return bytes;
      },
    }));
  }

  private async buildPreview(eventId: string, version: number): Promise<string> {
    const photos = this.photos(eventId, version);
    const montage = await buildMontage(photos, MONTAGE_PREVIEW);
    const preview = await this.options.blobs.writeAsync(montage.bytes, montage.sha256);
    await this.point(this.path(eventId, version, ".preview"), { preview, photoCount: photos.length });
    this.later(eventId, version, "full", this.options.fullBuildDelayMs ?? FULL_BUILD_DELAY_MS);
    return preview;
  }

  private async buildFull(eventId: string, version: number): Promise<string> {
    const preview = await this.get(eventId, version, "preview");
    const photos = this.photos(eventId, version);
    const montage = await buildMontage(photos, MONTAGE_FULL);
    const full = await this.options.blobs.writeAsync(montage.bytes, montage.sha256);
    await this.point(this.path(eventId, version, ""), { full, preview, photoCount: photos.length });
    return full;
  }

  /** `size` of the event's latest version built `delayMs` from now, unless a newer version came. */
  private later(eventId: string, version: number, size: MontageSize, delayMs: number): void {
    const timer = setTimeout(() => {
      if (repoOf(this.options.db).event(eventId)?.montageVersion !== version) return;
      this.get(eventId, version, size).catch(() => undefined); // built again on demand
    }, delayMs);
    timer.unref();
  }
}

async function readPointer<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
  try {
    return schema.parse(JSON.parse(await readFile(path, "utf8")));
  } catch {
    return undefined; // not built yet
  }
}

function pointerHashes(pointer: z.infer<typeof anyPointer>): string[] {
  return pointer.full === undefined ? [pointer.preview] : [pointer.preview, pointer.full];
}
