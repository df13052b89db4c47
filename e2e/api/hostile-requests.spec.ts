// Hostile requests against two real sites (issue 12: forged cookies, malformed URLs and methods,
// origins, session expiry and sign-out, display names, slow and vanishing clients). Every answer
// is a clear 4xx (never a 5xx), nothing is stored, and the sites stay healthy.
import { test, expect } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { sealData } from "iron-session";
import { Cluster } from "../support/cluster";
import { expectError, fromFetch } from "./support/people";

const SESSION_PASSWORD = randomBytes(32).toString("hex");
const SESSION_TTL_MS = 3_600_000;
const PUBLIC_URL = "https://photos.example";

let cluster: Cluster;
let s0: string; // plain: PUBLIC_URL is its own http URL
let s1: string; // PUBLIC_URL https://photos.example: its cookie is Secure

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await Cluster.start({
    count: 2,
    env: { SESSION_PASSWORD, SESSION_TTL_MS: String(SESSION_TTL_MS) },
    siteEnv: (siteId): Record<string, string> => (siteId === "s1" ? { PUBLIC_URL } : {}),
  });
  s0 = cluster.url("s0");
  s1 = cluster.url("s1");
});

test.afterAll(async () => {
  await cluster?.stop();
});

test.afterEach(async () => {
  // No site ever answered a 5xx or logged a failed request, and both still answer.
  expect(cluster.logs.filter((line) => /"msg":"request failed"/.test(line)), "a request failed on a site").toEqual([]);
  for (const url of [s0, s1]) expect((await fetch(`${url}/api/health`)).status).toBe(200);
});

type RawAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** One request with any method, target and headers (fetch refuses TRACE and rewrites targets). */
function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers: { connection: "close", ...headers }, timeout: 30_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer`)));
    req.end(body);
  });
}

/** Bytes straight onto a socket; everything the site sends back until it closes the connection. */
function rawSocket(base: string, bytes: string, options: { endAfterWrite?: boolean } = {}): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(bytes);
      if (options.endAfterWrite) socket.end();
    });
    let text = "";
    socket.setTimeout(60_000, () => socket.destroy(new Error("no answer within 60 s")));
    socket.on("data", (chunk) => (text += chunk.toString("utf8")));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
  });
}

const json = { "content-type": "application/json" };

async function join(base: string, name: string, cookie?: string): Promise<{ status: number; cookie: string | null; setCookie: string; body: unknown }> {
  const response = await fetch(`${base}/api/session`, { method: "POST", headers: { ...json, ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ name }) });
  const setCookie = response.headers.get("set-cookie") ?? "";
  const value = /groupshot=([^;]*)/.exec(setCookie)?.[1] ?? null;
  return { status: response.status, cookie: value ? `groupshot=${value}` : null, setCookie, body: await response.json() };
}

async function sessionOf(base: string, cookie: string): Promise<{ user: unknown; setCookie: string | null }> {
  const response = await fetch(`${base}/api/session`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return { ...((await response.json()) as { user: unknown }), setCookie: response.headers.get("set-cookie") };
}

/** Malformed seals, made from a real one: each once made iron-session's unseal throw, or is plain garbage. */
function malformedSeals(good: string): string[] {
  const [body = "", version = "2"] = good.split("~");
  const parts = body.split("*");
  const withPart = (i: number, value: string) => parts.map((p, j) => (j === i ? value : p)).join("*") + `~${version}`;
  return [
    withPart(0, "Fe26.1"), // a wrong MAC prefix
    withPart(5, "soon"), // a non-numeric expiry
    withPart(5, "1"), // expired long ago
    withPart(1, "__proto__"),
    withPart(1, "constructor"),
    withPart(7, ""),
    `${body}~2~2`,
    `${body}~1`,
    body,
    good.slice(0, -3),
    `${good}A`,
    "Fe26.2**********~2",
    "Fe26.2*1*a*b*c*d*e*f~2",
    "*******",
    "garbage",
    "%ZZ",
    "x".repeat(3_000),
    encodeURIComponent("é☃"),
  ];
}

test("forged and malformed session cookies are no session on every route, and signing in replaces them", async () => {
  const ana = await join(s0, "Ana");
  expect(ana.status).toBe(200);
  expect(ana.cookie).not.toBeNull();
  const anaId = (ana.body as { userId: string }).userId;
  const created = await fetch(`${s0}/api/events`, { method: "POST", headers: { ...json, cookie: ana.cookie ?? "" }, body: JSON.stringify({ title: "Cookies" }) });
  expect([201, 202]).toContain(created.status);
  const { eventId } = (await created.json()) as { eventId: string };

  const good = decodeURIComponent((ana.cookie ?? "").slice("groupshot=".length));
  const cookies = [
    ...malformedSeals(good).map((seal) => `groupshot=${encodeURIComponent(seal)}`),
    ...malformedSeals(good).slice(0, 4).map((seal) => `groupshot=${seal}`), // unencoded, as a hand-made cookie would be
    "groupshot=%E0%A4%A; other=%ZZ",
    "groupshot",
    ";;;=;groupshot=;",
    `groupshot=${"A".repeat(8_000)}`,
  ];
  for (const cookie of cookies) {
    const headers = { cookie };
    expect(await sessionOf(s0, cookie), cookie.slice(0, 60)).toMatchObject({ user: null });
    expect((await fetch(`${s0}/api/events/${eventId}`, { headers })).status, cookie.slice(0, 60)).toBe(200);
    await expectError(fromFetch(await fetch(`${s0}/api/events`, { method: "POST", headers: { ...headers, ...json }, body: JSON.stringify({ title: "forged" }) })), 401, "unauthorized");
    await expectError(fromFetch(await fetch(`${s0}/api/events/${eventId}/ballots`, { method: "POST", headers: { ...headers, ...json }, body: JSON.stringify({ montageVersion: 1, round: 1, decision: "accept" }) })), 401, "unauthorized");
    expect((await fetch(`${s0}/api/events/${eventId}/montage`, { headers })).status).toBe(403);
    // Signing in with such a cookie works, and gives a new person (the forged one named nobody).
    const fresh = await join(s0, "Mallory", cookie);
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
    expect((fresh.body as { userId: string }).userId).not.toBe(anaId);
    expect(await sessionOf(s0, fresh.cookie ?? "")).toMatchObject({ user: { name: "Mallory" } });
  }
  // The real cookie still works, on the other site too (a positive control).
  expect(await sessionOf(s1, ana.cookie ?? "")).toMatchObject({ user: { userId: anaId, name: "Ana" } });
});

test("a seal expires after SESSION_TTL_MS, is renewed past half of it (sliding), and an old seal without a time is renewed", async () => {
  const userId = "u_abcdefghijklmnop";
  const sealAt = (sealedAtMs: number) => sealData({ userId, name: "Ana", sealedAtMs }, { password: SESSION_PASSWORD, ttl: 24 * 3600 });
  const cookieOf = async (seal: Promise<string>) => `groupshot=${encodeURIComponent(await seal)}`;

  const fresh = await sessionOf(s0, await cookieOf(sealAt(Date.now() - 60_000)));
  expect(fresh).toEqual({ user: { userId, name: "Ana" }, setCookie: null });

  const halfway = await sessionOf(s0, await cookieOf(sealAt(Date.now() - SESSION_TTL_MS * 0.6)));
  expect(halfway.user).toEqual({ userId, name: "Ana" });
  const renewed = /groupshot=([^;]+)/.exec(halfway.setCookie ?? "")?.[1];
  expect(renewed, "a renewed seal").toBeTruthy();
  expect(halfway.setCookie).toContain(`Max-Age=${SESSION_TTL_MS / 1000}`);
  expect(await sessionOf(s0, `groupshot=${renewed}`)).toEqual({ user: { userId, name: "Ana" }, setCookie: null });

  expect((await sessionOf(s0, await cookieOf(sealAt(Date.now() - SESSION_TTL_MS - 1_000)))).user).toBeNull();
  expect((await sessionOf(s0, await cookieOf(sealAt(Date.now() + 3_600_000)))).user, "dated in the future").toBeNull();

  const legacy = await sessionOf(s0, await cookieOf(sealData({ userId, name: "Ana" }, { password: SESSION_PASSWORD, ttl: 0 })));
  expect(legacy.user).toEqual({ userId, name: "Ana" });
  expect(legacy.setCookie).toContain("groupshot=");
});

test("the cookie is HttpOnly, SameSite=Lax and lives SESSION_TTL_MS; Secure where the public URL is https", async () => {
  const plain = await join(s0, "Ana");
  expect(plain.setCookie).toMatch(/HttpOnly/i);
  expect(plain.setCookie).toMatch(/SameSite=Lax/i);
  expect(plain.setCookie).toContain(`Max-Age=${SESSION_TTL_MS / 1000}`);
  expect(plain.setCookie).not.toMatch(/;\s*Secure/i);
  const secure = await join(s1, "Ana");
  expect(secure.status).toBe(200);
  expect(secure.setCookie).toMatch(/;\s*Secure/i);
});

test("sign-out clears the cookie; it is a state-changing request like any other", async () => {
  const ana = await join(s0, "Ana");
  await expectError(fromFetch(await fetch(`${s0}/api/session`, { method: "DELETE", headers: { cookie: ana.cookie ?? "", origin: "https://evil.example" } })), 403, "forbidden");
  const out = await fetch(`${s0}/api/session`, { method: "DELETE", headers: { cookie: ana.cookie ?? "", origin: s0 } });
  expect(out.status).toBe(200);
  expect(await out.json()).toEqual({ user: null });
  const cleared = out.headers.get("set-cookie") ?? "";
  expect(cleared).toMatch(/^groupshot=;/);
  expect(cleared).toMatch(/Max-Age=0/);
});

test("state-changing requests are checked against the configured origins, not the request's Host (DNS rebinding)", async () => {
  const ana = await join(s0, "Ana");
  const post = (base: string, headers: Record<string, string>) => raw(base, "POST", "/api/events", { ...json, cookie: ana.cookie ?? "", ...headers }, JSON.stringify({ title: "origin" }));
  const port0 = new URL(s0).port;
  // A rebinding page: its own name in both Host and Origin.
  const foreign: Record<string, string>[] = [
    { host: `evil.example:${port0}`, origin: `http://evil.example:${port0}` },
    { host: "evil.example", origin: "http://evil.example" },
    { origin: "null" },
    { origin: PUBLIC_URL }, // s1's public URL, not s0's
    { origin: s0.replace("127.0.0.1", "localhost") },
    { origin: `${s0}/` },
  ];
  for (const headers of foreign) {
    const answer = await post(s0, headers);
    expect(answer.status, JSON.stringify(headers)).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "forbidden" } });
  }
  // Its own origin, another configured site's, and (at s1) its PUBLIC_URL are accepted, whatever the Host says.
  for (const [base, origin] of [[s0, s0], [s0, s1], [s1, PUBLIC_URL], [s1, s1]] as const) {
    const answer = await post(base, { origin, host: "whatever.example" });
    expect([201, 202], `${base} ← ${origin}: ${answer.body}`).toContain(answer.status);
  }
});

test("display names are NFC, and a name with control, bidi-override or invisible characters is a 400 unsafe_name", async () => {
  const composed = await join(s0, "Jose\u0301");
  expect(composed.status).toBe(200);
  expect(composed.body).toMatchObject({ name: "Jos\u00e9" });
  for (const name of ["Ana\u202Egpj.exe", "An\u200Ba", "\u2066Ana\u2069", "Ana\u0007", "\u3164", "Ana\u2028Ben"]) {
    const answer = await join(s0, name);
    expect(answer.status, JSON.stringify(name)).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: "unsafe_name" } });
    expect(answer.cookie).toBeNull();
  }
  expect((await join(s0, "👩‍👩‍👧 Noor")).status).toBe(200);
});

test("malformed URLs are a 400 (JSON under /api, HTML for pages) from the site's own server, with the security headers", async () => {
  for (const path of ["/api/events/%ZZ", "/api/events/ev_abcdefghijkm/montage?v=%ZZ", "/api/%C3%28", "/api/events/%00", "/api/session%", "/api/internal/messages%ZZ"]) {
    for (const method of ["GET", "POST", "DELETE"]) {
      const answer = await raw(s0, method, path, method === "POST" ? json : {}, method === "POST" ? "{}" : undefined);
      expect(answer.status, `${method} ${path}`).toBe(400);
      expect(answer.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "malformed_url" } });
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    }
  }
  for (const path of ["/e/%ZZ", "/p/%E0%A4%A", "/%", "/e/ev_x?x=%G0", "/e/a%0Ab"]) {
    const answer = await raw(s0, "GET", path);
    expect(answer.status, path).toBe(400);
    expect(answer.headers["content-type"]).toContain("text/html");
    expect(answer.body).toContain("Bad request");
    expect(answer.headers["x-frame-options"]).toBe("DENY");
  }
  const long = await raw(s0, "GET", `/api/events/${"a".repeat(5_000)}`);
  expect(long.status).toBe(414);
  expect(JSON.parse(long.body)).toMatchObject({ error: { code: "url_too_long" } });
  // Headers too large for node:http at all: a 431, not a 500.
  expect((await raw(s0, "GET", "/", { "x-big": "a".repeat(20_000) })).status).toBe(431);
});

test("methods the site does not serve are a 405 with Allow: TRACE, CONNECT, WebDAV and made-up tokens", async () => {
  for (const method of ["TRACE", "PROPFIND", "MKCOL", "LOCK", "PURGE"]) {
    for (const path of ["/api/session", "/e/ev_abcdefghijkm", "/"]) {
      const answer = await raw(s0, method, path);
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    }
  }
  for (const line of ["CONNECT 127.0.0.1:22 HTTP/1.1", "FOO /api/session HTTP/1.1", "G@T / HTTP/1.1"]) {
    const text = await rawSocket(s0, `${line}\r\nhost: 127.0.0.1\r\n\r\n`);
    expect(text, line).toMatch(/^HTTP\/1\.1 405 /);
    expect(text).toMatch(/\r\nallow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n/);
    expect(text).toContain('"code":"method_not_allowed"');
  }
});

test("a stalled body is answered 408 by the slow-client floor, stalled headers by headersTimeout; a client that leaves mid-body logs no error", async () => {
  test.setTimeout(90_000);
  const ana = await join(s0, "Ana");
  const cookie = ana.cookie ?? "";
  const stalledBody = rawSocket(s0, `POST /api/session HTTP/1.1\r\nhost: 127.0.0.1\r\ncookie: ${cookie}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"name":`);
  const stalledHeaders = rawSocket(s0, "GET /api/health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ");
  // A client that sends half a JSON body and goes away (what it is told, if anything, nobody reads).
  await rawSocket(s0, `POST /api/events HTTP/1.1\r\nhost: 127.0.0.1\r\ncookie: ${cookie}\r\ncontent-type: application/json\r\ncontent-length: 2000\r\n\r\n{"title":"half`, { endAfterWrite: true });
  const [body, headers] = await Promise.all([stalledBody, stalledHeaders]);
  expect(body).toMatch(/^HTTP\/1\.1 408 /);
  expect(body).toContain('"code":"request_timeout"');
  expect(headers).toMatch(/^HTTP\/1\.1 408 /);
  expect(cluster.logs.filter((line) => /"level":50/.test(line))).toEqual([]);
});
