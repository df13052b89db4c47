// Run in its own process by the montage phase: builds the montage pair (download + page) from
// tile files with lib/images buildMontages, `repeats` times, and prints one JSON line with the
// build times and the process's peak RSS, so our memory is measured as ImageMagick's is.
//   node --import tsx bench/montage-child.ts <repeats> <tile.jpg>...
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { performance } from "node:perf_hooks";
import { buildMontages } from "../lib/images";
import { montagePhotoOf } from "../lib/images/montage-photo";

async function main(): Promise<void> {
  const [repeatsArg, ...files] = process.argv.slice(2);
  const repeats = Number(repeatsArg);
  if (!Number.isInteger(repeats) || repeats < 1 || files.length === 0) throw new Error("usage: montage-child.ts <repeats> <tile.jpg>...");
  const baselineRssMb = process.memoryUsage().rss / (1024 * 1024);
  const tiles = await Promise.all(files.map((file) => montagePhotoOf(basename(file, ".jpg"), new Uint8Array(readFileSync(file)))));
  const timesMs: number[] = [];
  let bytes = 0;
  // Peak RSS after the first build is what one refresh costs (ImageMagick is measured on one
  // run too); later builds only add allocator and GC slack.
  let peakRssMb = 0;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    const pair = await buildMontages(tiles);
    timesMs.push(performance.now() - start);
    bytes = pair.full.bytes.length;
    if (i === 0) peakRssMb = process.resourceUsage().maxRSS / 1024;
  }
  const peakRssAllRunsMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ timesMs, baselineRssMb, peakRssMb, peakRssAllRunsMb, fullBytes: bytes })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
