// Montage refresh against the tool people would use instead: ImageMagick's `montage` building
// the same grid (same rows × columns, same cell size and gaps) from the same 12 MP originals.
// Ours is measured two ways: the refresh seen through the API after an upload (from the ramp),
// and buildMontages on the same tiles in a child process (time and peak RSS). ImageMagick's
// time and peak RSS come from /usr/bin/time -v (or /proc VmHWM polling when it is missing).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { MONTAGE_FULL, montageLayout } from "../../lib/images";
import { median, round3 } from "../lib/stats";
import { peakRssMb } from "../lib/cluster";
import { refreshNear, type RampPoint } from "./photos";
import type { BenchContext } from "../context";
import type { ProcessRegistry } from "../lib/processes";

export type ToolRun = { ms: number; peakRssMb: number | null; command: string };
export type MontageComparison = {
  photos: number;
  grid: { columns: number; rows: number; cellPx: number };
  ours: { refreshMs: number | null; buildMsMedian: number; buildRuns: number; peakRssMb: number; peakRssAllRunsMb: number; baselineRssMb: number };
  imagemagick: { fromOriginals: ToolRun; fromOriginalsNoHint: ToolRun | null; fromTiles: ToolRun } | null;
  /** ImageMagick (originals) time ÷ our refresh time. */
  speedup: number | null;
};
export type MontageResult = { imagemagickVersion: string | null; comparisons: MontageComparison[] };

const childAnswer = z.object({ timesMs: z.array(z.number()), baselineRssMb: z.number(), peakRssMb: z.number(), peakRssAllRunsMb: z.number(), fullBytes: z.number() });
const benchDir = resolve(__dirname, "..");

export async function measureMontage(
  ctx: BenchContext,
  inputs: { originals: string[]; tileFiles: string[]; ramp: RampPoint[] },
  options: { sizes: number[]; buildRepeats: number; noHintUpTo: number; imagemagick: boolean; deadline: number },
): Promise<MontageResult> {
  const version = options.imagemagick ? await imagemagickVersion(ctx.processes) : null;
  const comparisons: MontageComparison[] = [];
  let imagemagickMsPerPhoto = 0;
  for (const n of options.sizes) {
    if (inputs.tileFiles.length < n || inputs.originals.length < n) {
      ctx.notes.push(`montage: ${n} photos skipped, the ramp reached ${inputs.tileFiles.length}`);
      continue;
    }
    const layout = montageLayout(Array.from({ length: n }, () => ({ widthPx: 1, heightPx: 1 })), MONTAGE_FULL); // tiles are square
    const columns = Math.max(...layout.rowCounts);
    const cellPx = Math.min(...layout.cells.map((c) => c.heightPx));
    const grid = { columns, rows: layout.rowCounts.length, cellPx };
    ctx.log(`  montage of ${n}: ours in a child process ...`);
    const ours = await runOurs(ctx.processes, inputs.tileFiles.slice(0, n), options.buildRepeats);
    let imagemagick: MontageComparison["imagemagick"] = null;
    // The first size always runs (it is the comparison); a larger one only if its estimate fits.
    const imagemagickFits = comparisons.length === 0 || performance.now() + imagemagickMsPerPhoto * n * 1.3 < options.deadline;
    if (version !== null && !imagemagickFits) ctx.notes.push(`montage: ImageMagick for ${n} photos skipped, it would not fit in the run's budget (~${Math.round((imagemagickMsPerPhoto * n) / 1000)} s)`);
    if (version !== null && imagemagickFits) {
      const out = join(ctx.root, "montage");
      mkdirSync(out, { recursive: true });
      ctx.log(`  montage of ${n}: ImageMagick from the originals ...`);
      const fromOriginals = await runImageMagick(ctx.processes, inputs.originals.slice(0, n), grid, join(out, `im-${n}.jpg`), true);
      imagemagickMsPerPhoto = Math.max(imagemagickMsPerPhoto, fromOriginals.ms / n);
      const fromOriginalsNoHint = n <= options.noHintUpTo ? await runImageMagick(ctx.processes, inputs.originals.slice(0, n), grid, join(out, `im-${n}-nohint.jpg`), false) : null;
      const fromTiles = await runImageMagick(ctx.processes, inputs.tileFiles.slice(0, n), grid, join(out, `im-${n}-tiles.jpg`), false);
      imagemagick = { fromOriginals, fromOriginalsNoHint, fromTiles };
    }
    const refreshMs = refreshNear(inputs.ramp, n);
    comparisons.push({
      photos: n,
      grid,
      ours: { refreshMs, buildMsMedian: median(ours.timesMs), buildRuns: ours.timesMs.length, peakRssMb: ours.peakRssMb, peakRssAllRunsMb: ours.peakRssAllRunsMb, baselineRssMb: ours.baselineRssMb },
      imagemagick,
      speedup: imagemagick && refreshMs ? round3(imagemagick.fromOriginals.ms / refreshMs) : null,
    });
  }
  return { imagemagickVersion: version, comparisons };
}

async function runOurs(processes: ProcessRegistry, tileFiles: string[], repeats: number): Promise<z.infer<typeof childAnswer>> {
  const { stdout, code, stderr } = await run(processes, process.execPath, ["--import", "tsx", join(benchDir, "montage-child.ts"), String(repeats), ...tileFiles], { cwd: resolve(benchDir, "..") });
  if (code !== 0) throw new Error(`montage child failed (${code}): ${stderr.slice(-500)}`);
  return childAnswer.parse(JSON.parse(stdout.trim().split("\n").pop() ?? ""));
}

/** The grid as `montage` builds it: each photo cover-cropped to a square cell, 8 px between cells. */
async function runImageMagick(processes: ProcessRegistry, files: string[], grid: { columns: number; rows: number; cellPx: number }, out: string, sizeHint: boolean): Promise<ToolRun> {
  const c = grid.cellPx;
  const args = [
    ...(sizeHint ? ["-define", `jpeg:size=${2 * c}x${2 * c}`] : []),
    ...files,
    "-resize", `${c}x${c}^`,
    "-gravity", "center",
    "-extent", `${c}x${c}`,
    "-tile", `${grid.columns}x${grid.rows}`,
    "-geometry", `${c}x${c}+4+4`,
    "-background", "#ececec",
    "-quality", "85",
    out,
  ];
  const command = `montage ${sizeHint ? `-define jpeg:size=${2 * c}x${2 * c} ` : ""}<${files.length} files> -resize ${c}x${c}^ -gravity center -extent ${c}x${c} -tile ${grid.columns}x${grid.rows} -geometry ${c}x${c}+4+4 -background '#ececec' -quality 85 out.jpg`;
  const useTime = existsSync("/usr/bin/time");
  const start = performance.now();
  const result = useTime ? await run(processes, "/usr/bin/time", ["-v", "montage", ...args]) : await run(processes, "montage", args, { pollPeak: true });
  const ms = performance.now() - start;
  if (result.code !== 0) throw new Error(`montage failed (${result.code}): ${result.stderr.slice(-500)}`);
  const fromTime = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1];
  return { ms, peakRssMb: fromTime !== undefined ? Number(fromTime) / 1024 : result.peakRssMb, command };
}

async function imagemagickVersion(processes: ProcessRegistry): Promise<string | null> {
  try {
    const { stdout, code } = await run(processes, "montage", ["-version"]);
    return code === 0 ? (/Version: (.*?) https?:/.exec(stdout)?.[1]?.trim() ?? stdout.split("\n")[0] ?? null) : null;
  } catch {
    return null;
  }
}

function run(processes: ProcessRegistry, command: string, args: string[], options: { cwd?: string; pollPeak?: boolean } = {}): Promise<{ code: number | null; stdout: string; stderr: string; peakRssMb: number | null }> {
  return new Promise((resolvePromise, reject) => {
    // Its own process group, so that stopping the bench also stops what /usr/bin/time started.
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
    processes.add(child, { group: true });
    let stdout = "";
    let stderr = "";
    let peak: number | null = null;
    const poll = options.pollPeak
      ? setInterval(() => {
          const now = peakRssMb(child.pid);
          if (now !== null) peak = Math.max(peak ?? 0, now);
        }, 10)
      : undefined;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.once("close", (code) => {
      clearInterval(poll);
      resolvePromise({ code, stdout, stderr, peakRssMb: peak });
    });
  });
}
