import { test } from "node:test";
import assert from "node:assert/strict";
import { assertStripped } from "./assert-stripped";
import { buildMontage } from "./build-montage";
import { buildMontages } from "./build-montages";
import { makePhoto } from "./fixtures";
import { MONTAGE_FULL, MONTAGE_PREVIEW } from "./image-sizes";
import type { MontagePhoto } from "./montage";
import { montageLayout } from "./montage-layout";
import { montagePhotoOf } from "./montage-photo";
import { processUpload } from "./process-upload";
import { CELLS_IN_FLIGHT } from "./render-cells";
import { sharp } from "./sharp-settings";

/** Display images as processUpload makes them, from photo-like fixtures, landscape and portrait. */
async function makePhotos(count: number, firstSeed = 1): Promise<MontagePhoto[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const [widthPx, heightPx] = (firstSeed + i) % 3 === 0 ? [480, 640] : [900, 675];
      const photo = await processUpload(await makePhoto({ widthPx, heightPx, seed: firstSeed + i, noiseAmplitude: 12 }));
      return montagePhotoOf(`photo-${String(firstSeed + i).padStart(4, "0")}`, photo.display.bytes);
    }),
  );
}

async function solidPhoto(id: string, rgb: readonly [number, number, number], widthPx = 1200, heightPx = 900): Promise<MontagePhoto> {
  const [r, g, b] = rgb;
  return montagePhotoOf(id, await sharp({ create: { width: widthPx, height: heightPx, channels: 3, background: { r, g, b } } }).jpeg().toBuffer());
}

test("puts each photo in its cell, in the order given, its shape kept, on the background", async () => {
  const colours: Array<[number, number, number]> = [[200, 30, 30], [30, 160, 40], [40, 60, 200], [230, 200, 40], [120, 40, 160]];
  const photos = await Promise.all(colours.map((rgb, i) => (i % 2 === 0 ? solidPhoto(`p${i}`, rgb) : solidPhoto(`p${i}`, rgb, 900, 1200))));
  const montage = await buildMontage(photos, MONTAGE_FULL);
  const layout = montageLayout(photos, MONTAGE_FULL);
  assert.deepEqual([montage.widthPx, montage.heightPx], [layout.widthPx, layout.heightPx]);
  assert.deepEqual(montage.layout.map((cell) => cell.id), ["p0", "p1", "p2", "p3", "p4"]);
  montage.layout.forEach((cell, i) => {
    const aspect = i % 2 === 0 ? 4 / 3 : 3 / 4;
    assert.ok(Math.abs(cell.widthPx / cell.heightPx - aspect) < 0.02, `cell ${cell.id} is ${cell.widthPx}×${cell.heightPx}: not cropped`);
  });
  const { data, info } = await sharp(montage.bytes).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [montage.widthPx, montage.heightPx]);
  const pixel = (xPx: number, yPx: number): number[] => [...data.subarray((yPx * info.width + xPx) * 3, (yPx * info.width + xPx) * 3 + 3)];
  const near = (actual: number[], expected: readonly number[]): boolean => actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= 8);
  montage.layout.forEach((cell, i) => {
    const centre = pixel(cell.leftPx + Math.floor(cell.widthPx / 2), cell.topPx + Math.floor(cell.heightPx / 2));
    assert.ok(near(centre, colours[i] ?? []), `cell ${cell.id} shows ${centre}, expected ${colours[i]}`);
  });
  assert.ok(near(pixel(2, 2), MONTAGE_FULL.backgroundRgb), "the border is background");
  await assertStripped(montage.bytes, "montage");
});

test("is deterministic: the same photos give identical bytes, whatever the threads or SIMD; another order, other bytes", async (t) => {
  const tiles = await makePhotos(12);
  const first = await buildMontage(tiles);
  assert.notEqual((await buildMontage([...tiles].reverse())).sha256, first.sha256, "the order is the caller's (capture time)");
  const threads = sharp.concurrency();
  t.after(() => {
    sharp.concurrency(threads);
    sharp.simd(true);
  });
  const firstPreview = await buildMontage(tiles, MONTAGE_PREVIEW);
  sharp.concurrency(1);
  sharp.simd(false);
  const elsewhere = await buildMontage(tiles.map((photo) => ({ ...photo })));
  assert.deepEqual(Buffer.from(elsewhere.bytes), Buffer.from(first.bytes), "byte-identical, as on another site");
  const previewElsewhere = await buildMontage([...tiles], MONTAGE_PREVIEW);
  assert.deepEqual(Buffer.from(previewElsewhere.bytes), Buffer.from(firstPreview.bytes), "the page image too");
});

test("composes tall canvases band by band with the same pixels (many bands, cells across band edges)", async () => {
  // 3 photos in one row of ~730 px: 13 bands of 64 rows; cells cross band edges.
  const colours: Array<[number, number, number]> = [[250, 10, 10], [10, 250, 10], [10, 10, 250]];
  const tiles = await Promise.all(colours.map((rgb, i) => solidPhoto(`b${i}`, rgb)));
  const montage = await buildMontage(tiles, MONTAGE_FULL);
  const { data, info } = await sharp(montage.bytes).raw().toBuffer({ resolveWithObject: true });
  for (const [i, cell] of montage.layout.entries()) {
    for (const yPx of [cell.topPx + 1, cell.topPx + 63, cell.topPx + 64, cell.topPx + 300, cell.topPx + cell.heightPx - 2]) {
      const at = (yPx * info.width + cell.leftPx + Math.floor(cell.widthPx / 2)) * 3;
      const expected = colours[i] ?? [];
      assert.ok([0, 1, 2].every((c) => Math.abs((data[at + c] ?? 0) - (expected[c] ?? 0)) <= 10), `cell ${cell.id} row ${yPx}`);
    }
  }
  const corner = ((montage.heightPx - 3) * info.width + 2) * 3; // in the gaps, below the last band's cells
  assert.ok([0, 1, 2].every((c) => Math.abs((data[corner + c] ?? 0) - (MONTAGE_FULL.backgroundRgb[c] ?? 0)) <= 8), "the bottom gap is background");
});

test("a different photo set gives a different montage", async () => {
  const tiles = await makePhotos(6);
  const [all, fewer] = await Promise.all([buildMontage(tiles), buildMontage(tiles.slice(1))]);
  assert.notEqual(all.sha256, fewer.sha256);
});

test("buildMontages gives the download and the page image, cell for cell, as buildMontage builds each", async () => {
  const tiles = await makePhotos(7);
  const pair = await buildMontages(tiles);
  assert.equal(pair.full.sha256, (await buildMontage(tiles, MONTAGE_FULL)).sha256, "the same download as buildMontage");
  assert.equal(pair.preview.sha256, (await buildMontage(tiles, MONTAGE_PREVIEW)).sha256, "the same page image as buildMontage");
  assert.ok(pair.preview.widthPx <= MONTAGE_PREVIEW.maxWidthPx);
  assert.deepEqual(pair.preview.layout.map((c) => c.id), pair.full.layout.map((c) => c.id));
  await assertStripped(pair.preview.bytes, "preview");
  assert.equal((await sharp(pair.preview.bytes).metadata()).isProgressive, true);
});

test("works for a single photo, for 120 and for 1,000 (bounded canvas and file; sources read a few at a time)", { timeout: 300_000 }, async () => {
  const [one] = await makePhotos(1);
  assert.ok(one);
  const single = await buildMontage([one]);
  assert.deepEqual([single.widthPx, single.heightPx], [900 + 16, 675 + 16], "at its own size, not blown up");
  const small = await solidPhoto("x", [90, 90, 90], 64, 48);
  const many = await buildMontages(Array.from({ length: 120 }, (_, i) => ({ ...small, id: `p${String(i).padStart(3, "0")}` })));
  assert.equal(many.full.layout.length, 120);
  assert.equal(many.full.widthPx, MONTAGE_FULL.maxWidthPx);

  const shapes = [[64, 48], [48, 64], [64, 36], [36, 64], [48, 48]] as const;
  const sources = await Promise.all(shapes.map(([w, h], i) => solidPhoto(`s${i}`, [40 * i, 200 - 30 * i, 90], w, h)));
  let reading = 0;
  let mostReadAtOnce = 0;
  const thousand = Array.from({ length: 1000 }, (_, i): MontagePhoto => {
    const source = sources[i % sources.length] as MontagePhoto;
    return {
      ...source,
      id: `ph_${String(i).padStart(4, "0")}`,
      read: async () => {
        mostReadAtOnce = Math.max(mostReadAtOnce, ++reading);
        const bytes = await source.read();
        await new Promise((resolve) => setImmediate(resolve));
        reading--;
        return bytes;
      },
    };
  });
  const pair = await buildMontages(thousand);
  for (const [montage, options] of [[pair.full, MONTAGE_FULL], [pair.preview, MONTAGE_PREVIEW]] as const) {
    assert.equal(montage.layout.length, 1000);
    assert.equal(montage.widthPx, options.maxWidthPx);
    assert.ok(montage.heightPx <= options.maxWidthPx * 1.5, `${montage.widthPx}×${montage.heightPx}`);
    assert.ok(montage.bytes.length < 8 * 1024 * 1024, `${montage.bytes.length} bytes`);
  }
  assert.ok(mostReadAtOnce <= CELLS_IN_FLIGHT, `${mostReadAtOnce} sources read at once`);
});

test("refuses an empty set, duplicate ids and undecodable tiles", async () => {
  const [tile] = await makePhotos(1);
  assert.ok(tile);
  await assert.rejects(buildMontage([]), RangeError);
  await assert.rejects(buildMontage([tile, { ...tile }]), /appears twice/);
  const broken = { id: "broken", widthPx: 4, heightPx: 3, read: () => Promise.resolve(new Uint8Array([0xff, 0xd8, 0xff, 0x00])) };
  await assert.rejects(buildMontage([tile, broken]), /broken/);
});

test("timing: montages of 10 and 50 photos (printed, not asserted)", async () => {
  const tiles = await makePhotos(50, 100);
  await buildMontages(tiles.slice(0, 5)); // warm up
  for (const count of [10, 50]) {
    const subset = tiles.slice(0, count);
    const median = async (build: () => Promise<unknown>): Promise<string> => {
      const durationsMs: number[] = [];
      for (let run = 0; run < 5; run++) {
        const startedMs = performance.now();
        await build();
        durationsMs.push(performance.now() - startedMs);
      }
      return durationsMs.sort((a, b) => a - b)[2]?.toFixed(0) ?? "?";
    };
    const fullMs = await median(() => buildMontage(subset, MONTAGE_FULL));
    const previewMs = await median(() => buildMontage(subset, MONTAGE_PREVIEW));
    const bothMs = await median(() => buildMontages(subset));
    console.log(`montage of ${count} photos: full ${fullMs} ms, preview ${previewMs} ms, both via buildMontages ${bothMs} ms (medians of 5)`);
  }
});
