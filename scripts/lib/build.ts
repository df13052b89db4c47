import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const repoRoot = resolve(__dirname, "..", "..");
/** What a Next.js build depends on (tests excluded). */
const SOURCES = ["app", "lib", "public", "instrumentation.ts", "next.config.js", "package-lock.json", "prisma/schema.prisma"];

/** The newest modification time under the sources a build depends on. */
function newestSourceMs(): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== "generated" && name !== "node_modules") visit(join(path, name));
    } else if (!path.endsWith(".test.ts")) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const entry of SOURCES) visit(join(repoRoot, entry));
  return newest;
}

/** Whether `distDir` holds a build, and whether it is newer than every source. */
export function buildState(distDir: string): { exists: boolean; fresh: boolean } {
  const buildId = join(repoRoot, distDir, "BUILD_ID");
  const exists = existsSync(buildId);
  return { exists, fresh: exists && statSync(buildId).mtimeMs >= newestSourceMs() };
}

/** `next build` into GROUPSHOT_DIST_DIR (the caller's environment); true when it succeeded. */
export function runNextBuild(): boolean {
  const result = spawnSync(join(repoRoot, "node_modules", ".bin", "next"), ["build"], {
    cwd: repoRoot,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  return result.status === 0;
}
