import { test, expect } from "@playwright/test";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { healthAnswer } from "../lib/api/contract";
import { signRequest } from "../lib/internal/signature";
import { Cluster } from "./support/cluster";

const heartbeatMs = 500;
let cluster: Cluster;
let secret: string;

test.beforeAll(async () => {
  cluster = await Cluster.start({ env: { HEARTBEAT_MS: String(heartbeatMs) } });
  secret = cluster.sites[0]!.process.options.env.SITE_SECRET ?? "";
});
test.afterAll(async () => {
  await cluster?.stop();
});

async function health(siteId: string) {
  const response = await fetch(`${cluster.url(siteId)}/api/health`);
  expect(response.status).toBe(200);
  return healthAnswer.parse(await response.json());
}

test("four sites with distinct ids, each seeing the other three reachable", async () => {
  const ids = cluster.sites.map((s) => s.siteId);
  for (const id of ids) {
    await expect.poll(async () => (await health(id)).peers.filter((p) => p.reachable).length).toBe(3);
    const h = await health(id);
    expect(h.siteId).toBe(id);
    expect(h.peers.map((p) => p.siteId).sort()).toEqual(ids.filter((x) => x !== id));
    expect(h.inDoubt).toEqual([]);
  }
});

test("a killed site shows as unreachable within two heartbeats, and reachable again after restart", async () => {
  await expect.poll(async () => (await health("s0")).peers.find((p) => p.siteId === "s3")?.reachable).toBe(true);
  await cluster.kill("s3");
  const killedAtMs = Date.now();
  for (const id of ["s0", "s1", "s2"]) {
    await expect
      .poll(async () => (await health(id)).peers.find((p) => p.siteId === "s3")?.reachable, { timeout: 2 * heartbeatMs + 1_000 })
      .toBe(false);
  }
  test.info().annotations.push({ type: "detected after", description: `${Date.now() - killedAtMs} ms (heartbeat ${heartbeatMs} ms)` });
  await cluster.restart("s3");
  for (const id of ["s0", "s1", "s2"]) {
    await expect.poll(async () => (await health(id)).peers.find((p) => p.siteId === "s3")?.reachable).toBe(true);
  }
});

test.describe("the internal API refuses anything not signed by a site", () => {
  const path = "/api/internal/ping";
  const body = new TextEncoder().encode(JSON.stringify({ atMs: 1 }));
  const post = (headers: Record<string, string>, payload: Uint8Array<ArrayBuffer> = body) =>
    fetch(`${cluster.url("s1")}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: payload });
  const signed = (overrides: Partial<{ nowMs: number; secret: string; siteId: string }> = {}) =>
    signRequest({ secret: overrides.secret ?? secret, siteId: overrides.siteId ?? "s0", method: "POST", path, body, nowMs: overrides.nowMs ?? Date.now() });

  test("a signed call is answered", async () => {
    const response = await post(signed());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ siteId: "s1" });
  });

  const refused: Array<[string, () => Promise<Response>, string]> = [
    ["unsigned", () => post({}), "unsigned request"],
    ["wrong secret", () => post(signed({ secret: "f".repeat(64) })), "bad signature"],
    ["stale timestamp", () => post(signed({ nowMs: Date.now() - 120_000 })), "stale timestamp"],
    ["tampered body", () => post(signed(), new TextEncoder().encode(JSON.stringify({ atMs: 2 }))), "body does not match its signature"],
    ["unknown sender", () => post(signed({ siteId: "s9" })), "unknown site"],
  ];
  for (const [name, call, reason] of refused) {
    test(`401: ${name}`, async () => {
      const response = await call();
      expect(response.status).toBe(401);
      const json = (await response.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe("unauthorized");
      expect(json.error.message).toContain(reason);
    });
  }

  test("401: a replayed call", async () => {
    const headers = signed();
    expect((await post(headers)).status).toBe(200);
    expect((await post(headers)).status).toBe(401);
  });

  // Bad requests are refused with a JSON error before anything runs; the site stays up.
  const bad: Array<[string, () => Promise<Response>, number, string]> = [
    ["unknown endpoint", () => fetch(`${cluster.url("s1")}/api/internal/nope`, { method: "POST" }), 404, "not_found"],
    ["wrong method", () => fetch(`${cluster.url("s1")}${path}`), 405, "method_not_allowed"],
    ["body over its limit (declared)", () => post({ ...signed(), "content-length": "5000" }, new Uint8Array(5000)), 413, "too_large"],
    [
      "messages that are not a batch",
      () => {
        const json = new TextEncoder().encode(JSON.stringify([{ type: "NOPE" }]));
        const headers = signRequest({ secret, siteId: "s0", method: "POST", path: "/api/internal/messages", body: json, nowMs: Date.now() });
        return fetch(`${cluster.url("s1")}/api/internal/messages`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: json });
      },
      400,
      "bad_request",
    ],
    [
      "a blob whose bytes do not match its name",
      () => {
        // Signed as a site signs a blob (its name stands for the body's hash), but the bytes are others.
        const bytes = new TextEncoder().encode("not these bytes");
        const name = "a".repeat(64);
        const blobPath = `/api/internal/blobs/${name}`;
        const headers = signRequest({ secret, siteId: "s0", method: "PUT", path: blobPath, body: bytes, bodySha256: name, nowMs: Date.now() });
        return fetch(`${cluster.url("s1")}${blobPath}`, { method: "PUT", headers: { "content-type": "application/octet-stream", ...headers }, body: bytes });
      },
      401,
      "unauthorized",
    ],
  ];
  for (const [name, call, status, code] of bad) {
    test(`${status}: ${name}`, async () => {
      const response = await call();
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toContain("application/json");
      const json = (await response.json()) as { error: { code: string } };
      expect(json.error.code).toBe(code);
      expect((await post(signed())).status).toBe(200);
    });
  }
});

test("pages and API answers carry the security headers: no framing, no sniffing, nothing from elsewhere", async () => {
  for (const path of ["/", "/api/published", "/api/events/ev_doesnotexist1"]) {
    const response = await fetch(`${cluster.url("s0")}${path}`);
    expect(response.status, path).toBeLessThan(500);
    expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
    expect(response.headers.get("x-frame-options"), path).toBe("DENY");
    expect(response.headers.get("referrer-policy"), path).toBe("same-origin");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    await response.body?.cancel();
  }
});

test("GET /metrics answers in the Prometheus text format", async () => {
  const response = await fetch(`${cluster.url("s0")}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  const text = await response.text();
  expect(text).toContain('groupshot_peer_up{peer="s1",site="s0"} 1');
  expect(text).toContain("groupshot_outbox_backlog");
  expect(text).toContain("nodejs_eventloop_lag");
});

test("a bad configuration value stops a site with a message naming the variable", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "groupshot-badconfig-"));
  try {
    const child = spawn("sh", ["scripts/site.sh"], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        SITE_ID: "s0",
        PORT: "0",
        DATA_DIR: dataDir,
        SITES: "s0=http://127.0.0.1:1",
        SITE_SECRET: "too-short",
        SESSION_PASSWORD: "p".repeat(40),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.once("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).not.toBe(0);
    expect(output).toContain("SITE_SECRET is invalid: must be at least 32 characters");
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
