// Distinct 12-megapixel JPEGs for uploads. The base image is lib/images/fixtures.ts's
// makeTwelveMegapixelJpeg (4000 × 3000, photo-like grain); each variant stamps a few blocks
// whose colours and places come from its index and re-encodes, so every upload has different
// pixels, hence a different display image and tile (nothing is deduplicated by content).
// Generated once and cached under bench/results/tmp/fixtures (git-ignored): ~0.3 s each.
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { makeTwelveMegapixelJpeg } from "../../lib/images/fixtures";
import { sharp } from "../../lib/images/sharp-settings";

const WIDTH_PX = 4000;
const HEIGHT_PX = 3000;
const CACHE_VERSION = "v1";
const cacheDir = resolve(__dirname, "..", "results", "tmp", "fixtures", CACHE_VERSION);

export class PhotoSource {
  private raw: Buffer | undefined;

  /** Path of variant `i` (written on first use). */
  async path(i: number): Promise<string> {
    const path = join(cacheDir, `photo-${String(i).padStart(4, "0")}.jpg`);
    if (existsSync(path)) return path;
    mkdirSync(cacheDir, { recursive: true });
    const bytes = await this.make(i);
    writeFileSync(`${path}.tmp`, bytes);
    renameSync(`${path}.tmp`, path);
    return path;
  }

  async bytes(i: number): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(readFileSync(await this.path(i)));
  }

  /** Makes sure variants 0..count-1 exist; returns how many had to be generated. */
  async prepare(count: number): Promise<number> {
    let made = 0;
    for (let i = 0; i < count; i++) {
      if (!existsSync(join(cacheDir, `photo-${String(i).padStart(4, "0")}.jpg`))) made++;
      await this.path(i);
    }
    return made;
  }

  private async make(i: number): Promise<Uint8Array> {
    if (i === 0) return makeTwelveMegapixelJpeg(1);
    this.raw ??= await sharp(await this.bytes(0)).raw().toBuffer();
    const pixels = Buffer.from(this.raw);
    let state = (i * 2654435761) >>> 0 || 1;
    const next = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 4294967296;
    };
    for (let block = 0; block < 6; block++) {
      const size = 200 + Math.floor(next() * 400);
      const left = Math.floor(next() * (WIDTH_PX - size));
      const top = Math.floor(next() * (HEIGHT_PX - size));
      const rgb = [next() * 255, next() * 255, next() * 255].map(Math.round);
      const row = Buffer.alloc(size * 3);
      for (let x = 0; x < size; x++) row.set(rgb, x * 3);
      for (let y = top; y < top + size; y++) pixels.set(row, (y * WIDTH_PX + left) * 3);
    }
    return sharp(pixels, { raw: { width: WIDTH_PX, height: HEIGHT_PX, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  }
}
