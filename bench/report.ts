// The run's results: every figure with its target, as JSON (bench/results/latest.json) and as
// a markdown table (bench/results/latest.md, also pasted into README's "Performance").
import type { FloorResult } from "./floor";
import type { PostgresPeerResult } from "./peers/postgres-xa";
import type { CreateEventResult } from "./phases/create-event";
import type { EngineLevelResult } from "./phases/engine-level";
import type { GrowthResult, BulkSegment } from "./phases/growth";
import type { PhotosResult } from "./phases/photos";
import type { BigEventResult } from "./phases/big-event";
import type { MontageResult } from "./phases/montage";
import type { RecoveryResult } from "./phases/recovery";
import type { PhaseResources } from "./lib/resources";
import { round3, type Summary } from "./lib/stats";

export type Machine = { cores: number; cpuModel: string; memoryMb: number; node: string; os: string; loadAverageStart: number[]; loadAverageEnd: number[] };
export type Target = { id: string; figure: string; value: number | null; unit: string; target: string; met: boolean | null; detail: string };

export type BenchResults = {
  schema: 1;
  mode: "full" | "quick";
  startedAt: string;
  runtimeMs: number;
  machine: Machine;
  git: { commit: string; dirty: boolean };
  build: { distDir: string; builtThisRun: boolean; buildMs: number | null };
  floor: FloorResult;
  /** The tools people would use instead, measured in the same run (bench/README.md, "Peers"). */
  peers: { postgres: PostgresPeerResult };
  growth: GrowthResult;
  createEvent: CreateEventResult;
  /** The same create-event begun through each site's engine (signed bench endpoint), below the web framework. */
  engineLevel: EngineLevelResult;
  throughput: { baseline: string; replicated: BulkSegment | null; singleSite: BulkSegment | null; ratio: number | null };
  photos: Omit<PhotosResult, "montageInputs">;
  /** One event at 20 and at 2,000 photos: its JSON, its page and its montage. */
  bigEvent: BigEventResult;
  montage: MontageResult;
  recovery: RecoveryResult;
  resources: { idleRssMb: Record<string, number | null>; phases: PhaseResources[] };
  /** Same-run references: one Next.js route with no work (GET /api/health), one signed internal call (the 2PC hop), and create-event c=1 on a one-site cluster. */
  references: { nextHopMs: Summary; internalHopMs: Summary; singleSiteCreateC1Ms: Summary | null };
  targets: Target[];
  notes: string[];
};

const fmt = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x >= 100 ? x.toFixed(0) : x.toFixed(digits));
const status = (met: boolean | null) => (met === null ? "n/a" : met ? "met" : "**missed**");

/** A figure against its bound (`≤ limit unit` or `≥ limit unit`); not measured (null) when the value is missing or not a finite number. */
function bounded(t: { id: string; figure: string; value: number | null | undefined; unit: string; bound: "≤" | "≥"; limit: number; limitText?: string; detail: string }): Target {
  const value = t.value === null || t.value === undefined || !Number.isFinite(t.value) ? null : t.value;
  return {
    id: t.id,
    figure: t.figure,
    value: value === null ? null : round3(value),
    unit: t.unit,
    target: `${t.bound} ${t.limitText ?? String(t.limit)} ${t.unit}`,
    met: value === null ? null : t.bound === "≤" ? value <= t.limit : value >= t.limit,
    detail: t.detail,
  };
}

export function evaluateTargets(r: Omit<BenchResults, "targets">): Target[] {
  const floor = r.floor.floorMs;
  const targets: Target[] = [];
  for (const run of [r.createEvent.c1, r.createEvent.c16]) {
    for (const [q, limit] of [["p50", 3], ["p99", 10]] as const) {
      targets.push(bounded({
        id: `create-event-${q}-c${run.concurrency}`,
        figure: `create-event ${q}, c=${run.concurrency} (× floor)`,
        value: run.latencyMs[q] / floor,
        unit: "× floor",
        bound: "≤",
        limit,
        detail: `${fmt(run.latencyMs[q])} ms vs floor ${fmt(floor, 2)} ms (n=${run.latencyMs.n})`,
      }));
    }
  }
  targets.push(...peerTargets(r));
  const t = r.throughput;
  targets.push(bounded({
    id: "throughput",
    figure: "committed tx/s, 4 sites ÷ one-site cluster",
    value: t.ratio === null ? null : t.ratio * 100,
    unit: "%",
    bound: "≥",
    limit: 50,
    detail: `${fmt(t.replicated?.committedPerSecond)} vs ${fmt(t.singleSite?.committedPerSecond)} tx/s at c=${t.replicated?.concurrency ?? "?"}`,
  }));
  for (const c of r.montage.comparisons) {
    targets.push(bounded({
      id: `montage-${c.photos}`,
      figure: `montage refresh, ${c.photos} photos: ImageMagick ÷ ours`,
      value: c.speedup,
      unit: "×",
      bound: "≥",
      limit: 10,
      detail: c.imagemagick ? `${fmt(c.imagemagick.fromOriginals.ms)} ms vs ${fmt(c.ours.refreshMs)} ms` : "ImageMagick not available",
    }));
  }
  const inDoubt = [
    { id: "in-doubt-participant", label: "restarted participant", v: r.recovery.participantRestart },
    { id: "in-doubt-coordinator", label: "restarted coordinator (peers in doubt)", v: r.recovery.coordinatorRestart },
  ];
  for (const { id, label, v } of inDoubt) {
    targets.push(bounded({
      id,
      figure: `in doubt resolved after ${label}`,
      value: "resolveMs" in v ? v.resolveMs : null,
      unit: "ms",
      bound: "≤",
      limit: 1000,
      detail: "transactions" in v ? `${v.transactions} transactions` : v.skipped,
    }));
  }
  targets.push(bounded({
    id: "image-processing-vs-sharp",
    figure: "image processing of a 12 MP upload ÷ sharp's two-pass floor (p50)",
    value: r.photos.c1.processingMs.p50 / r.photos.sharpFloorMs.p50,
    unit: "×",
    bound: "≤",
    limit: 1.2,
    detail: `${fmt(r.photos.c1.processingMs.p50)} ms vs ${fmt(r.photos.sharpFloorMs.p50)} ms (n=${r.photos.sharpFloorMs.n})`,
  }));
  targets.push(bounded({
    id: "upload-rest-vs-replication-floor",
    figure: "rest of a 12 MP upload (API − processing, p50, c=1) ÷ its bytes written durably once and sent once to 3 peers over loopback",
    value: r.photos.c1.protocolMs.p50 / r.photos.replicationFloor.ms.p50,
    unit: "×",
    bound: "≤",
    limit: 3,
    detail: `${fmt(r.photos.c1.protocolMs.p50)} ms vs ${fmt(r.photos.replicationFloor.ms.p50)} ms for ${fmt(r.photos.replicationFloor.bytesPerPhoto / 1e6, 1)} MB`,
  }));
  const perPhoto = r.photos.c16.cpuMsPerPhoto;
  const ceiling = perPhoto === null ? null : (r.machine.cores * 1000) / perPhoto;
  targets.push(bounded({
    id: "upload-throughput-vs-cpu",
    figure: "committed photos/s with 16 concurrent uploads ÷ (cores ÷ CPU seconds per photo, all sites)",
    value: ceiling === null ? null : r.photos.c16.photosPerSecond / ceiling,
    unit: "×",
    bound: "≥",
    limit: 0.7,
    detail: `${fmt(r.photos.c16.photosPerSecond, 2)} photos/s vs ${fmt(ceiling, 2)} (${r.machine.cores} cores, ${fmt(perPhoto)} CPU ms per photo; the host is shared, so the sites never have every core)`,
  }));
  const upload = r.photos.c16.resources.sites;
  const lag = upload.map((s) => s.eventLoopP99Ms).filter((x): x is number => x !== null);
  const worstLag = lag.length > 0 ? Math.max(...lag) : null;
  const control = r.photos.c16.resources.controlEventLoopP99Ms;
  targets.push(bounded({
    id: "event-loop-p99",
    figure: "event-loop delay p99 under 16 concurrent uploads (worst site) − host control",
    value: worstLag === null || control === null ? null : worstLag - control,
    unit: "ms",
    bound: "≤",
    limit: 15,
    detail: `${upload.map((s) => `${s.siteId} ${fmt(s.eventLoopP99Ms)}`).join(", ")}; host control ${fmt(control)}`,
  }));
  const rss = r.resources.phases.flatMap((p) => p.sites.map((s) => ({ phase: p.phase, site: s.siteId, mb: s.rssMaxMb })));
  const worst = rss.filter((x) => x.mb !== null).sort((a, b) => (b.mb ?? 0) - (a.mb ?? 0))[0];
  targets.push(bounded({
    id: "rss",
    figure: "RSS per site (worst site, any phase)",
    value: worst?.mb,
    unit: "MB",
    bound: "≤",
    limit: 300,
    detail: worst ? `${worst.site} during ${worst.phase}` : "",
  }));
  return targets;
}

/** Our create-event figures as ratios to the PostgreSQL XA peer of the same run (issue 15's targets). */
function peerTargets(r: Omit<BenchResults, "targets">): Target[] {
  const pg = r.peers.postgres;
  if ("skipped" in pg) return [];
  return [
    bounded({
      id: "engine-c16-throughput-vs-postgres",
      figure: "create-event at the engine level, c=16: tx/s ÷ PostgreSQL XA peer",
      value: r.engineLevel.c16.committedPerSecond / pg.c16.committedPerSecond,
      unit: "×",
      bound: "≥",
      limit: 1,
      limitText: "1.0",
      detail: `${fmt(r.engineLevel.c16.committedPerSecond)} vs ${fmt(pg.c16.committedPerSecond)} tx/s`,
    }),
    bounded({
      id: "engine-c16-p99-vs-postgres",
      figure: "create-event at the engine level, c=16: p99 ÷ PostgreSQL XA peer's ack p99",
      value: r.engineLevel.c16.latencyMs.p99 / pg.c16.ackMs.p99,
      unit: "×",
      bound: "≤",
      limit: 1,
      limitText: "1.0",
      detail: `${fmt(r.engineLevel.c16.latencyMs.p99)} vs ${fmt(pg.c16.ackMs.p99)} ms`,
    }),
    bounded({
      id: "api-c16-throughput-vs-postgres",
      figure: "create-event through the API, c=16: tx/s ÷ PostgreSQL XA peer",
      value: r.createEvent.c16.committedPerSecond / pg.c16.committedPerSecond,
      unit: "×",
      bound: "≥",
      limit: 0.8,
      detail: `${fmt(r.createEvent.c16.committedPerSecond)} vs ${fmt(pg.c16.committedPerSecond)} tx/s`,
    }),
    bounded({
      id: "api-c1-p50-vs-postgres",
      figure: "create-event through the API, c=1: p50 ÷ PostgreSQL XA peer's ack p50",
      value: r.createEvent.c1.latencyMs.p50 / pg.c1.ackMs.p50,
      unit: "×",
      bound: "≤",
      limit: 2,
      detail: `${fmt(r.createEvent.c1.latencyMs.p50)} vs ${fmt(pg.c1.ackMs.p50)} ms`,
    }),
  ];
}

/** The PostgreSQL XA peer beside our create-event, each of ours as a ratio to it and to the floor. */
function peerTable(r: BenchResults): string[] {
  const pg = r.peers.postgres;
  if ("skipped" in pg) return [`**PostgreSQL XA peer**: skipped — ${pg.skipped}`, ""];
  const f = r.floor.floorMs;
  const lines = [
    `**PostgreSQL XA peer** (PostgreSQL ${pg.version}, ${pg.clusters} clusters on loopback, ${Object.entries(pg.settings).map(([k, v]) => `${k}=${v}`).join(", ")}; one Node coordinator, decision in SQLite WAL + synchronous=FULL; ack = decision durable, committed = COMMIT PREPARED done everywhere). Ours ÷ peer: latency ratios > 1 and throughput ratios < 1 are the peer's advantage.`,
    "",
    "| create-event | c | p50 ms | p99 ms | tx/s | CPU ms per tx | p50 ÷ peer ack p50 | p99 ÷ peer ack p99 | tx/s ÷ peer | p50 ÷ floor |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const [peer, api, engine] of [[pg.c1, r.createEvent.c1, r.engineLevel.c1], [pg.c16, r.createEvent.c16, r.engineLevel.c16]] as const) {
    lines.push(`| PostgreSQL XA peer (ack) | ${peer.concurrency} | ${fmt(peer.ackMs.p50)} | ${fmt(peer.ackMs.p99)} | ${fmt(peer.committedPerSecond)} | ${fmt(peer.cpuMsPerTransaction)} | 1 | 1 | 1 | ${fmt(peer.ackMs.p50 / f)} |`);
    lines.push(`| PostgreSQL XA peer (committed everywhere) | ${peer.concurrency} | ${fmt(peer.committedMs.p50)} | ${fmt(peer.committedMs.p99)} | | | | | | |`);
    for (const [label, ours] of [["groupshot, engine level (signed bench endpoint)", engine], ["groupshot, public API", api]] as const) {
      lines.push(`| ${label} | ${ours.concurrency} | ${fmt(ours.latencyMs.p50)} | ${fmt(ours.latencyMs.p99)} | ${fmt(ours.committedPerSecond)} | ${fmt(ours.cpuMsPerTransaction)} | ${fmt(ours.latencyMs.p50 / peer.ackMs.p50, 2)} | ${fmt(ours.latencyMs.p99 / peer.ackMs.p99, 2)} | ${fmt(ours.committedPerSecond / peer.committedPerSecond, 2)} | ${fmt(ours.latencyMs.p50 / f)} |`);
    }
  }
  lines.push("");
  return lines;
}

export function renderMarkdown(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`Run ${r.startedAt} (${r.mode}, ${fmt(r.runtimeMs / 1000, 0)} s) on ${m.cores} cores (${m.cpuModel}), ${fmt(m.memoryMb / 1024, 1)} GB RAM, Node ${m.node}, ${m.os}; load average ${m.loadAverageStart.map((x) => x.toFixed(1)).join("/")} at the start, ${m.loadAverageEnd.map((x) => x.toFixed(1)).join("/")} at the end; commit ${r.git.commit.slice(0, 10)}${r.git.dirty ? " (+ uncommitted changes)" : ""}.`);
  lines.push("");
  lines.push("| figure | measured | target | |");
  lines.push("|---|---|---|---|");
  for (const t of r.targets) lines.push(`| ${t.figure} | ${fmt(t.value)} ${t.unit} (${t.detail}) | ${t.target} | ${status(t.met)} |`);
  lines.push("");
  const f = r.floor;
  lines.push(`**Floor** R + 2F = ${fmt(f.floorMs, 2)} ms: R (node:http keep-alive round trip to a Node child, as the sites' peer client) p50 ${fmt(f.roundTripHttpMs.p50, 2)} ms, p99 ${fmt(f.roundTripHttpMs.p99, 2)} ms (Node's fetch ${fmt(f.roundTripFetchMs.p50, 2)} ms); F (durable SQLite commit) p50 ${fmt(f.commitMs.p50, 2)} ms, p99 ${fmt(f.commitMs.p99, 2)} ms.`);
  lines.push("");
  lines.push(...peerTable(r));
  lines.push("| measurement | n | p50 ms | p99 ms | p50 ÷ floor | p99 ÷ floor | tx/s | CPU ms per tx (all sites) |");
  lines.push("|---|---|---|---|---|---|---|---|");
  const ref = r.references;
  lines.push(`| reference: GET /api/health (one Next.js route, no work) | ${ref.nextHopMs.n} | ${fmt(ref.nextHopMs.p50)} | ${fmt(ref.nextHopMs.p99)} | ${fmt(ref.nextHopMs.p50 / f.floorMs)} | ${fmt(ref.nextHopMs.p99 / f.floorMs)} | | |`);
  lines.push(`| reference: signed POST /api/internal/ping (the 2PC hop: node:http, HMAC, no Next.js) | ${ref.internalHopMs.n} | ${fmt(ref.internalHopMs.p50)} | ${fmt(ref.internalHopMs.p99)} | ${fmt(ref.internalHopMs.p50 / f.floorMs)} | ${fmt(ref.internalHopMs.p99 / f.floorMs)} | | |`);
  if (ref.singleSiteCreateC1Ms) lines.push(`| reference: create-event c=1 on a one-site cluster | ${ref.singleSiteCreateC1Ms.n} | ${fmt(ref.singleSiteCreateC1Ms.p50)} | ${fmt(ref.singleSiteCreateC1Ms.p99)} | ${fmt(ref.singleSiteCreateC1Ms.p50 / f.floorMs)} | ${fmt(ref.singleSiteCreateC1Ms.p99 / f.floorMs)} | | |`);
  for (const run of [r.createEvent.c1, r.createEvent.c16]) {
    lines.push(`| create-event c=${run.concurrency} | ${run.latencyMs.n} | ${fmt(run.latencyMs.p50)} | ${fmt(run.latencyMs.p99)} | ${fmt(run.latencyMs.p50 / f.floorMs)} | ${fmt(run.latencyMs.p99 / f.floorMs)} | ${fmt(run.committedPerSecond)} | ${fmt(run.cpuMsPerTransaction)} |`);
  }
  for (const run of [r.photos.c1, r.photos.c16]) {
    lines.push(`| add-photo 12 MP c=${run.concurrency} | ${run.latencyMs.n} | ${fmt(run.latencyMs.p50)} | ${fmt(run.latencyMs.p99)} | ${fmt(run.latencyMs.p50 / f.floorMs)} | ${fmt(run.latencyMs.p99 / f.floorMs)} | | |`);
    if (run.concurrency === 1) lines.push(`| └ peer: sharp's two-pass floor (same outputs, nothing else) | ${r.photos.sharpFloorMs.n} | ${fmt(r.photos.sharpFloorMs.p50)} | ${fmt(r.photos.sharpFloorMs.p99)} | | | | |`);
    lines.push(`| └ image processing (in-process) c=${run.concurrency} | ${run.processingMs.n} | ${fmt(run.processingMs.p50)} | ${fmt(run.processingMs.p99)} | | | | |`);
    lines.push(`| └ protocol (API − processing) c=${run.concurrency} | ${run.protocolMs.n} | ${fmt(run.protocolMs.p50)} | ${fmt(run.protocolMs.p99)} | ${fmt(run.protocolMs.p50 / f.floorMs)} | ${fmt(run.protocolMs.p99 / f.floorMs)} | ${fmt(run.photosPerSecond, 2)} photos/s | ${fmt(run.cpuMsPerPhoto)} per photo |`);
    const rf = r.photos.replicationFloor;
    if (run.concurrency === 1) lines.push(`| └ baseline: its bytes (${fmt(rf.bytesPerPhoto / 1e6, 1)} MB) written durably once + sent once to ${rf.peers} peers over loopback | ${rf.ms.n} | ${fmt(rf.ms.p50)} | ${fmt(rf.ms.p99)} | | | | |`);
  }
  const heic = r.photos.heic;
  if ("skipped" in heic) lines.push(`| HEIC upload processing | skipped: ${heic.skipped} | | | | | | |`);
  else {
    lines.push(`| image processing, the same 12 MP photo as JPEG (${fmt(heic.jpegBytes / 1e6, 1)} MB) | ${heic.jpegMs.n} | ${fmt(heic.jpegMs.p50)} | ${fmt(heic.jpegMs.p99)} | | | | |`);
    lines.push(`| image processing, as HEIC (${fmt(heic.heicBytes / 1e6, 1)} MB; libheif wasm decode in a worker): ${fmt(heic.ratio, 2)} × the JPEG | ${heic.heicMs.n} | ${fmt(heic.heicMs.p50)} | ${fmt(heic.heicMs.p99)} | | | | |`);
  }
  lines.push("");
  const t = r.throughput;
  lines.push(`**Throughput** (create-event, c=${t.replicated?.concurrency ?? "?"}, events ${t.replicated?.fromEvents ?? "?"}→${t.replicated?.toEvents ?? "?"}): 4 sites ${fmt(t.replicated?.committedPerSecond)} tx/s (${fmt(t.replicated?.cpuMsPerTransaction)} CPU ms per tx), one-site cluster ${fmt(t.singleSite?.committedPerSecond)} tx/s (${fmt(t.singleSite?.cpuMsPerTransaction)} CPU ms per tx). Baseline: ${t.baseline}`);
  lines.push("");
  lines.push(`**Growth** (create-event c=1 at each size; ${r.growth.reached} of ${r.growth.target} events reached):`);
  lines.push("");
  lines.push(`| events | ${r.growth.checkpoints.map((c) => c.events).join(" | ")} |`);
  lines.push(`|---|${r.growth.checkpoints.map(() => "---").join("|")}|`);
  lines.push(`| p50 ms | ${r.growth.checkpoints.map((c) => fmt(c.latencyMs.p50)).join(" | ")} |`);
  lines.push(`| p99 ms | ${r.growth.checkpoints.map((c) => fmt(c.latencyMs.p99)).join(" | ")} |`);
  lines.push("");
  const pts = r.photos.ramp.points;
  const pick = [1, 2, 5, 10, 20, 30, 40, 50].filter((n) => pts.some((p) => p.photos === n));
  lines.push(`**One event, 1 → ${r.photos.ramp.target} photos** (12 MP uploads spread over the sites, one at a time):`);
  lines.push("");
  lines.push(`| photos | ${pick.join(" | ")} |`);
  lines.push(`|---|${pick.map(() => "---").join("|")}|`);
  lines.push(`| upload ms | ${pick.map((n) => fmt(pts.find((p) => p.photos === n)?.uploadMs)).join(" | ")} |`);
  lines.push(`| montage refresh ms | ${pick.map((n) => fmt(pts.find((p) => p.photos === n)?.refreshMs)).join(" | ")} |`);
  lines.push("");
  const big = r.bigEvent;
  const [small, large] = [big.points[0], big.points.at(-1)];
  lines.push(`**One event at ${small?.photos ?? "?"} and at ${large?.photos ?? "?"} photos** (${big.reached} of ${big.target} small JPEGs uploaded one at a time, ${fmt(big.uploadsPerSecond)} per second; GET one request at a time at the home site, p50 of 10):`);
  lines.push("");
  lines.push("| photos | event JSON p50 ms | its size | page (HTML) p50 ms | its size | montage refresh ms |");
  lines.push("|---|---|---|---|---|---|");
  for (const p of big.points) lines.push(`| ${p.photos} | ${fmt(p.jsonMs.p50)} | ${fmt(p.jsonBytes / 1024)} kB | ${fmt(p.pageMs.p50)} | ${fmt(p.pageBytes / 1024)} kB | ${fmt(p.montageMs)} |`);
  if (small && large && large !== small) lines.push(`| ratio | ${fmt(large.jsonMs.p50 / small.jsonMs.p50)} × | ${fmt(large.jsonBytes / small.jsonBytes)} × | ${fmt(large.pageMs.p50 / small.pageMs.p50)} × | ${fmt(large.pageBytes / small.pageBytes)} × | ${large.montageMs !== null && small.montageMs !== null ? `${fmt(large.montageMs / small.montageMs)} ×` : "n/a"} |`);
  lines.push("");
  lines.push(`**Montage vs ImageMagick** (${r.montage.imagemagickVersion ?? "ImageMagick not available"}):`);
  lines.push("");
  lines.push("| photos | grid | ours: refresh via API | ours: build in-process (median) | ours: peak RSS | ImageMagick from originals | its peak RSS | ImageMagick, no size hint | ImageMagick from our tiles |");
  lines.push("|---|---|---|---|---|---|---|---|---|");
  for (const c of r.montage.comparisons) {
    const im = c.imagemagick;
    lines.push(
      `| ${c.photos} | ${c.grid.columns}×${c.grid.rows} @ ${c.grid.cellPx} px | ${fmt(c.ours.refreshMs)} ms | ${fmt(c.ours.buildMsMedian)} ms (${c.ours.buildRuns} runs) | ${fmt(c.ours.peakRssMb)} MB (process baseline ${fmt(c.ours.baselineRssMb)}) | ${fmt(im?.fromOriginals.ms)} ms | ${fmt(im?.fromOriginals.peakRssMb)} MB | ${im?.fromOriginalsNoHint ? `${fmt(im.fromOriginalsNoHint.ms)} ms, ${fmt(im.fromOriginalsNoHint.peakRssMb)} MB` : "not run"} | ${im ? `${fmt(im.fromTiles.ms)} ms, ${fmt(im.fromTiles.peakRssMb)} MB` : "n/a"} |`,
    );
  }
  lines.push("");
  const rec = r.recovery;
  lines.push("**Recovery** (from the moment the restarted site answers /api/health):");
  lines.push("");
  lines.push("| scenario | transactions | start → ready ms | resolved after ms | per site |");
  lines.push("|---|---|---|---|---|");
  const row = (name: string, v: RecoveryResult[keyof RecoveryResult], extra: string) =>
    "skipped" in v
      ? `| ${name} | skipped: ${v.skipped} | | | |`
      : `| ${name} | ${v.transactions}${extra} | ${fmt(v.startToReadyMs, 0)} | ${fmt(v.resolveMs, 0)} | ${Object.entries(v.perSiteMs).map(([k, ms]) => `${k} ${fmt(ms, 0)}`).join(", ")} |`;
  lines.push(row("A. participant restarted, its coordinator decided meanwhile", rec.participantRestart, "participantRestart" in rec && "inDoubtAtRestart" in rec.participantRestart ? ` (${rec.participantRestart.inDoubtAtRestart} in doubt at restart)` : ""));
  lines.push(row("B. coordinator restarted before deciding, peers in doubt", rec.coordinatorRestart, "downMs" in rec.coordinatorRestart ? ` (down ${fmt(rec.coordinatorRestart.downMs / 1000, 0)} s)` : ""));
  lines.push(row("C. backlog drain after a down site returns", rec.backlogDrain, "backlogAtRestart" in rec.backlogDrain ? ` (backlog ${rec.backlogDrain.backlogAtRestart} msgs)` : ""));
  lines.push("");
  lines.push("**Resources per site** (RSS max during the phase, CPU used, event-loop delay p99 over the phase; the control is the bench process's own event-loop p99 — the host's scheduling delay):");
  lines.push("");
  lines.push(`| phase | ${r.resources.phases[0]?.sites.map((s) => s.siteId).join(" | ") ?? ""} | control |`);
  lines.push(`|---|${r.resources.phases[0]?.sites.map(() => "---").join("|") ?? ""}|---|`);
  lines.push(`| idle RSS MB | ${Object.values(r.resources.idleRssMb).map((v) => fmt(v, 0)).join(" | ")} | |`);
  for (const p of r.resources.phases) {
    lines.push(`| ${p.phase} (${fmt(p.wallMs / 1000, 0)} s) | ${p.sites.map((s) => `${fmt(s.rssMaxMb, 0)} MB, ${fmt((s.cpuMs ?? Number.NaN) / 1000, 1)} s CPU, p99 ${fmt(s.eventLoopP99Ms)} ms`).join(" | ")} | p99 ${fmt(p.controlEventLoopP99Ms)} ms |`);
  }
  if (r.notes.length > 0) {
    lines.push("");
    lines.push("Notes:");
    for (const note of r.notes) lines.push(`- ${note}`);
  }
  return `${lines.join("\n")}\n`;
}
