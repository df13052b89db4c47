// Replays against the signed internal API of real sites (issue 12, item 3): a call captured
// before a restart (SIGKILL) is refused after it, and nothing is applied. The header-first checks
// themselves are in lib/internal/serve.test.ts (the real handler on a loopback server).
import { test, expect } from "@playwright/test";
import { createHash } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { signRequest } from "../../lib/internal/signature";
import { Cluster } from "../support/cluster";

let cluster: Cluster;
let secret: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await Cluster.start({ count: 2 });
  secret = cluster.sites[0]!.process.options.env.SITE_SECRET ?? "";
});
test.afterAll(async () => {
  await cluster?.stop();
});

async function signedPing(siteId: string, headers?: Record<string, string>): Promise<Response> {
  const path = "/api/internal/ping";
  const body = new TextEncoder().encode("{}");
  const signed = headers ?? signRequest({ secret, siteId: "s0", method: "POST", path, body, nowMs: Date.now() });
  return fetch(`${cluster.url(siteId)}${path}`, { method: "POST", headers: { "content-type": "application/json", ...signed }, body });
}

test("a signed call captured before a restart is refused after it, and nothing is applied", async () => {
  const bytes = new TextEncoder().encode(`captured blob ${Date.now()}`);
  const name = createHash("sha256").update(bytes).digest("hex");
  const path = `/api/internal/blobs/${name}`;
  const blobFile = join(cluster.dataDir("s1"), "blobs", name.slice(0, 2), name);
  const putBlob = (headers: Record<string, string>) =>
    fetch(`${cluster.url("s1")}${path}`, { method: "PUT", headers: { "content-type": "application/octet-stream", ...headers }, body: bytes });
  const capturedPut = signRequest({ secret, siteId: "s0", method: "PUT", path, body: bytes, bodySha256: name, nowMs: Date.now() });
  const capturedPing = signRequest({ secret, siteId: "s0", method: "POST", path: "/api/internal/ping", body: new TextEncoder().encode("{}"), nowMs: Date.now() });
  expect((await putBlob(capturedPut)).status).toBe(200);
  expect((await signedPing("s1", capturedPing)).status).toBe(200);
  expect(existsSync(blobFile)).toBe(true);

  // A crash (SIGKILL, nothing flushed on the way out) and a restart, well within the calls' timestamp window.
  await cluster.kill("s1");
  rmSync(blobFile); // so a replay that got through would show: it would store the blob again
  await cluster.start("s1");

  for (const replay of [await putBlob(capturedPut), await signedPing("s1", capturedPing)]) {
    expect(replay.status).toBe(401);
    const json = (await replay.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe("unauthorized");
    expect(json.error.message).toContain("replayed request");
  }
  expect(existsSync(blobFile), "the replayed PUT stored nothing").toBe(false);
  // The same blob, freshly signed, is taken: it was the replay that was refused, not the bytes.
  expect((await putBlob(signRequest({ secret, siteId: "s0", method: "PUT", path, body: bytes, bodySha256: name, nowMs: Date.now() }))).status).toBe(200);
  expect(existsSync(blobFile)).toBe(true);
});
