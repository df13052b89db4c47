// The code's layers, checked: every import in lib/ and app/ points down the table below (or
// stays in its own folder), and no chain of imports comes back to where it started. A new
// folder does not pass until it has a place here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

/**
 * Bottom to top. A folder may import only folders of a lower rank (and itself). Folders of the
 * same rank do not import each other.
 */
const layers: Record<string, number> = {
  errors: 0,
  generated: 0,
  config: 1,
  api: 1,
  db: 1,
  twopc: 1,
  images: 2,
  archive: 2,
  site: 2,
  store: 2,
  client: 2,
  http: 3,
  internal: 4,
  product: 5,
  sim: 6,
  server: 7,
  app: 8,
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "generated" && name !== "node_modules") out.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

/** lib/<folder>/… or lib/<file>.ts → its layer name; app/… → "app". */
function layerOf(file: string): string {
  const parts = relative(root, file).split(/[\\/]/);
  if (parts[0] === "app") return "app";
  return (parts[1] ?? "").replace(/(\.test)?\.tsx?$/, "");
}

function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = join(root, spec.slice(2));
  else if (spec.startsWith(".")) base = resolve(dirname(from), spec);
  else return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return base; // generated code (not in the tree before `prisma generate`) still has a layer
}

const importPattern = /(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g;

/** Import specifiers of a source text, comments left out. */
function specifiersOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(importPattern)].map((m) => m[1] ?? "");
}

function importsOf(file: string): string[] {
  const specs = specifiersOf(readFileSync(file, "utf8"));
  return specs.map((spec) => resolveImport(file, spec)).filter((p): p is string => p !== null);
}

const self = resolve(import.meta.filename);
const files = [...sourceFiles(join(root, "lib")), ...sourceFiles(join(root, "app"))].filter((file) => file !== self);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

test("every folder has a layer", () => {
  const unknown = [...new Set(files.map(layerOf))].filter((layer) => !(layer in layers));
  assert.deepEqual(unknown, []);
});

test("imports only point down the layers", () => {
  const upward: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    for (const target of targets) {
      const to = layerOf(target);
      if (to === from) continue;
      if ((layers[to] ?? Infinity) >= (layers[from] ?? -Infinity)) upward.push(`${relative(root, file)} → ${relative(root, target)}`);
    }
  }
  assert.deepEqual(upward, []);
});

test("no import cycle between files", () => {
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(" → "));
      return;
    }
    state.set(file, "open");
    for (const target of graph.get(file) ?? []) if (graph.has(target)) visit(target, [...path, file]);
    state.set(file, "done");
  };
  for (const file of graph.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});

test("the checker reads every form of import and leaves comments out", () => {
  // Guards the guard: the regex finds the forms of import this codebase uses.
  const sample = `import a from "@/lib/server/boot";\nimport type { B } from "../product/x";\nawait import("./y");\nimport "server-only";\n// import from "@/lib/z"\n/** from "@/lib/w" */`;
  assert.deepEqual(specifiersOf(sample), ["@/lib/server/boot", "../product/x", "./y", "server-only"]);
  assert.equal(layerOf(join(root, "lib/server/boot.ts")), "server");
  assert.equal(layerOf(join(root, "lib/errors.ts")), "errors");
  assert.ok((layers.server ?? 0) > (layers.product ?? 0));
});
