import { test } from "node:test";
import assert from "node:assert/strict";
import { assertStripped } from "./assert-stripped";
import { buildMontage } from "./build-montage";
import { buildMontages } from "./build-montages";
import { makePhoto } from "./fixtures";
import { MONTAGE_FULL, MONTAGE_PREVIEW, TILE_EDGE_PX } from "./image-sizes";
import type { MontageTile } from "./montage";
import { montageLayout } from "./montage-layout";
import { processUpload } from "./process-upload";
import { sharp } from "./sharp-settings";

/** Tiles as processUpload makes them, from photo-like fixtures; ids sort in creation order. */
async function makeTiles(count: number, firstSeed = 1): Promise<MontageTile[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const photo = await processUpload(await makePhoto({ widthPx: 900, heightPx: 675, seed: firstSeed + i, noiseAmplitude: 12 }));
      return { id: `photo-${String(firstSeed + i).padStart(4, "0")}`, bytes: photo.tile.bytes };
    }),
  );
}

function solidTile(rgb: readonly [number, number, number]): Promise<Uint8Array> {
  const [r, g, b] = rgb;
  return sharp({ create: { width: TILE_EDGE_PX, height: TILE_EDGE_PX, channels: 3, background: { r, g, b } } }).jpeg().toBuffer();
}

/** Fisher-Yates with a fixed LCG: a reproducible shuffle for the order-independence test. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

test("puts each photo in its cell, in id order, on the background", async () => {
  const colours: Array<[number, number, number]> = [[200, 30, 30], [30, 160, 40], [40, 60, 200], [230, 200, 40], [120, 40, 160]];
  const tiles = await Promise.all(colours.map(async (rgb, i) => ({ id: `p${i}`, bytes: await solidTile(rgb) })));
  const montage = await buildMontage(shuffled(tiles, 3), MONTAGE_FULL);
  const layout = montageLayout(tiles.length, MONTAGE_FULL);
  assert.deepEqual([montage.widthPx, montage.heightPx], [layout.widthPx, layout.heightPx]);
  assert.deepEqual(montage.layout.map((cell) => cell.id), ["p0", "p1", "p2", "p3", "p4"]);
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

test("is deterministic: the same photo set gives identical bytes, whatever the order, threads or SIMD", async (t) => {
  const tiles = await makeTiles(12);
  const first = await buildMontage(tiles);
  assert.equal((await buildMontage(shuffled(tiles, 1))).sha256, first.sha256);
  assert.equal((await buildMontage([...tiles].reverse())).sha256, first.sha256);
  const threads = sharp.concurrency();
  t.after(() => {
    sharp.concurrency(threads);
    sharp.simd(true);
  });
  const firstPreview = await buildMontage(tiles, MONTAGE_PREVIEW);
  sharp.concurrency(1);
  sharp.simd(false);
  const elsewhere = await buildMontage(shuffled(tiles, 2));
  assert.deepEqual(Buffer.from(elsewhere.bytes), Buffer.from(first.bytes), "byte-identical, as on another site");
  const previewElsewhere = await buildMontage(shuffled(tiles, 5), MONTAGE_PREVIEW);
  assert.deepEqual(Buffer.from(previewElsewhere.bytes), Buffer.from(firstPreview.bytes), "the page image too");
});

test("composes tall canvases band by band with the same pixels (many bands, cells across band edges)", async () => {
  // 3 photos in one row of 768 px cells: 784 px tall, 13 bands of 64 rows; cells cross band edges.
  const colours: Array<[number, number, number]> = [[250, 10, 10], [10, 250, 10], [10, 10, 250]];
  const tiles = await Promise.all(colours.map(async (rgb, i) => ({ id: `b${i}`, bytes: await solidTile(rgb) })));
  const options = { ...MONTAGE_FULL, targetAspect: 10 };
  const montage = await buildMontage(tiles, options);
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
  const tiles = await makeTiles(6);
  const [all, fewer] = await Promise.all([buildMontage(tiles), buildMontage(tiles.slice(1))]);
  assert.notEqual(all.sha256, fewer.sha256);
});

test("buildMontages gives the download and the page image, cell for cell, as buildMontage builds each", async () => {
  const tiles = await makeTiles(7);
  const pair = await buildMontages(tiles);
  assert.equal(pair.full.sha256, (await buildMontage(tiles, MONTAGE_FULL)).sha256, "the same download as buildMontage");
  assert.equal(pair.preview.sha256, (await buildMontage(tiles, MONTAGE_PREVIEW)).sha256, "the same page image as buildMontage");
  assert.ok(pair.preview.widthPx <= MONTAGE_PREVIEW.maxWidthPx);
  assert.deepEqual(pair.preview.layout.map((c) => c.id), pair.full.layout.map((c) => c.id));
  assert.equal((await buildMontages(shuffled(tiles, 4))).preview.sha256, pair.preview.sha256);
  await assertStripped(pair.preview.bytes, "preview");
  assert.equal((await sharp(pair.preview.bytes).metadata()).isProgressive, true);
});

test("works for a single photo and for 120", async () => {
  const one = await buildMontage(await makeTiles(1));
  assert.deepEqual([one.widthPx, one.heightPx], [TILE_EDGE_PX + 16, TILE_EDGE_PX + 16]);
  const solid = await solidTile([90, 90, 90]);
  const many = await buildMontages(Array.from({ length: 120 }, (_, i) => ({ id: `p${String(i).padStart(3, "0")}`, bytes: solid })));
  assert.equal(many.full.layout.length, 120);
  assert.equal(many.full.widthPx, MONTAGE_FULL.maxWidthPx);
});

test("refuses an empty set, duplicate ids and undecodable tiles", async () => {
  const [tile] = await makeTiles(1);
  assert.ok(tile);
  await assert.rejects(buildMontage([]), RangeError);
  await assert.rejects(buildMontage([tile, { ...tile }]), /appears twice/);
  await assert.rejects(buildMontage([tile, { id: "broken", bytes: new Uint8Array([0xff, 0xd8, 0xff, 0x00]) }]), /broken/);
});

test("timing: montages of 10 and 50 tiles (printed, not asserted)", async () => {
  const tiles = await makeTiles(50, 100);
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
    console.log(`montage of ${count} tiles: full ${fullMs} ms, preview ${previewMs} ms, both via buildMontages ${bothMs} ms (medians of 5)`);
  }
});
