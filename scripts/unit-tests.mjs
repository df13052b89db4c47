// Runs every *.test.ts under lib/ and scripts/ with Node's test runner through tsx.
// Node 20's --test takes no globs, so the files are listed here.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const roots = ["lib", "scripts"];
const skip = new Set(["node_modules", ".next", "generated"]);
function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}
const only = process.argv.slice(2);
const files = only.length > 0 ? only : roots.flatMap((root) => walk(root, [])).sort();
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=300000", ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
