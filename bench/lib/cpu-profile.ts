// Reads V8 .cpuprofile files (written by a site started with NODE_OPTIONS=--cpu-prof) and sums
// self time per function and per package, so a missed target can be traced to its cause.
import { readFileSync } from "node:fs";
import { z } from "zod";

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export type ProfileEntry = { name: string; selfMs: number; share: number };
export type ProfileSummary = { wallMs: number; busyMs: number; idleMs: number; gcMs: number; topFunctions: ProfileEntry[]; byPackage: ProfileEntry[]; topStacks: ProfileEntry[] };

/** Where a script lives, shortened: a package name, or the repo file, or "(native)". */
function packageOf(url: string): string {
  if (url === "") return "(native/V8)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1] ?? ""}` : (rest[0] ?? url);
  }
  if (url.startsWith("node:")) return url;
  const chunk = /\.next[^/]*\/server\/(.*)$/.exec(url);
  if (chunk) return `(app bundle) ${chunk[1] ?? ""}`.slice(0, 80);
  return url.replace(/^file:\/\//, "").slice(-80);
}

export function summarizeProfile(path: string, top = 15): ProfileSummary {
  const profile = profileSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  // The profiler's own stop call (cpu-profiler-preload.mjs → Session.post) is the last sample and
  // holds the whole serialization of the profile: not the site's work.
  const isProfiler = (id: number): boolean => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      if (byId.get(cur)?.callFrame.url.includes("cpu-profiler-preload")) return true;
    }
    return false;
  };
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  const stacks = new Map<string, number>();
  let idleUs = 0;
  let gcUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || isProfiler(id)) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    if (functionName === "(garbage collector)") gcUs += us;
    const name = `${functionName || "(anonymous)"} ${packageOf(url)}:${lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    pkg.set(packageOf(url), (pkg.get(packageOf(url)) ?? 0) + us);
    // The nearest three named frames from repo code (not node_modules): what our code was doing.
    const frames: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined && frames.length < 3; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (frame && frame.functionName && !frame.url.includes("node_modules") && frame.url !== "") frames.push(frame.functionName);
    }
    const stack = frames.join(" < ") || "(outside repo code)";
    stacks.set(stack, (stacks.get(stack) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const entries = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, share: busyUs > 0 ? Math.round((1000 * us) / busyUs) / 1000 : 0 }));
  return {
    wallMs: Math.round((profile.endTime - profile.startTime) / 1000),
    busyMs: Math.round(busyUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    gcMs: Math.round(gcUs / 1000),
    topFunctions: entries(fn),
    byPackage: entries(pkg),
    topStacks: entries(stacks),
  };
}
