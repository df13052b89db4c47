import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { buildMontages } from "@/lib/images";
import type { BlobStore } from "@/lib/engine/blob-store";
import { repoOf } from "./repo";
import type Database from "better-sqlite3";

const pointer = z.object({ full: z.string(), preview: z.string(), photoCount: z.number().int() });
export type MontageFiles = z.infer<typeof pointer>;

/**
 * Montages per (event, version), built from the photos' cached tiles and stored as blobs.
 * Deterministic, so every site builds the same image for the same version. Built once, right
 * after a photo commits (and on demand if missing); concurrent requests share one build.
 */
export class Montages {
  private readonly building = new Map<string, Promise<MontageFiles>>();

  constructor(private readonly options: { db: Database.Database; blobs: BlobStore; root: string }) {
    mkdirSync(options.root, { recursive: true });
  }

  private pointerPath(eventId: string, version: number): string {
    return join(/*turbopackIgnore: true*/ this.options.root, `${eventId}.v${version}.json`);
  }

  async get(eventId: string, version: number): Promise<MontageFiles> {
    try {
      return pointer.parse(JSON.parse(readFileSync(this.pointerPath(eventId, version), "utf8")));
    } catch {
      // not built yet
    }
    const key = `${eventId}@${version}`;
    let build = this.building.get(key);
    if (!build) {
      build = this.build(eventId, version).finally(() => this.building.delete(key));
      this.building.set(key, build);
    }
    return build;
  }

  private async build(eventId: string, version: number): Promise<MontageFiles> {
    const photos = repoOf(this.options.db).photos(eventId).filter((p) => p.version <= version);
    if (photos.length !== version) throw new Error(`montage ${eventId} v${version}: ${photos.length} photos here`);
    const tiles = photos.map((p) => {
      const bytes = this.options.blobs.read(p.tileHash);
      if (!bytes) throw new Error(`tile ${p.tileHash} is missing`);
      return { id: p.photoId, bytes: new Uint8Array(bytes) };
    });
    const pair = await buildMontages(tiles);
    const files = { full: this.options.blobs.write(pair.full.bytes), preview: this.options.blobs.write(pair.preview.bytes), photoCount: photos.length };
    const path = this.pointerPath(eventId, version);
    writeFileSync(`${path}.tmp`, JSON.stringify(files));
    renameSync(`${path}.tmp`, path);
    return files;
  }
}
