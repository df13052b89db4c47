import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { errorCodeToHttpStatus } from "../../lib/http/status";
import { ALLOWED_METHODS, DEADLINES, EDGE_CODES, enforceBodyFloor, refusal, requestProblem } from "./edge-guard.mjs";
import { securityHeaders } from "./security-headers.js";

test("edge guard: its codes have the statuses of the one table (lib/http/status.ts)", () => {
  for (const [code, status] of Object.entries(EDGE_CODES)) assert.equal(errorCodeToHttpStatus[code as keyof typeof errorCodeToHttpStatus], status, code);
});

test("edge guard: ordinary requests pass", () => {
  for (const url of ["/", "/e/ev_abcdefghijkm", "/api/events/ev_abcdefghijkm?v=2&size=full", "/api/events/%65v_x", "/e/Jos%C3%A9", "/?q=a%20b+c", "/_next/static/chunks/app.js"]) {
    for (const method of ALLOWED_METHODS) assert.equal(requestProblem({ method, url }), null, `${method} ${url}`);
  }
});

test("edge guard: unknown methods are a 405", () => {
  for (const method of ["TRACE", "CONNECT", "TRACK", "PROPFIND", "MKCOL", "FOO", "get", "", "X".repeat(100)]) {
    assert.equal(requestProblem({ method, url: "/api/session" })?.code, "method_not_allowed", method);
  }
  const answer = refusal({ method: "TRACE", url: "/api/session" }, { code: "method_not_allowed", message: "no" });
  assert.equal(answer.status, 405);
  assert.equal(answer.headers.allow, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
});

test("edge guard: malformed percent-escapes anywhere, control characters in the path, targets that are not paths, overlong addresses", () => {
  const cases: Array<[string, string]> = [
    ["/api/events/%ZZ", "malformed_url"],
    ["/e/%ZZ", "malformed_url"],
    ["/e/%", "malformed_url"],
    ["/e/ev_x%2", "malformed_url"],
    ["/api/events/%C3%28", "malformed_url"], // not UTF-8
    ["/api/events/%ED%A0%80", "malformed_url"], // a surrogate in UTF-8
    ["/api/events/x?v=%ZZ", "malformed_url"],
    ["/?q=%E0%A4%A", "malformed_url"],
    ["/e/%00", "malformed_url"],
    ["/e/a%0Ab", "malformed_url"],
    ["/e/a%7Fb", "malformed_url"],
    ["*", "malformed_url"],
    ["http://evil.example/", "malformed_url"],
    ["", "malformed_url"],
    [`/e/${"a".repeat(5_000)}`, "url_too_long"],
  ];
  for (const [url, code] of cases) assert.equal(requestProblem({ method: "GET", url })?.code, code, url);
});

test("edge guard: /api/* gets the API's JSON error, a page a small HTML page; both carry the security headers", () => {
  const api = refusal({ method: "GET", url: "/api/events/%ZZ" }, { code: "malformed_url", message: "bad <escape>" });
  assert.equal(api.status, 400);
  assert.equal(api.headers["content-type"], "application/json");
  assert.deepEqual(JSON.parse(api.body), { error: { code: "malformed_url", message: "bad <escape>" } });
  const page = refusal({ method: "GET", url: "/e/%ZZ" }, { code: "malformed_url", message: "bad <escape>" });
  assert.match(page.headers["content-type"] ?? "", /^text\/html/);
  assert.match(page.body, /<h1>Bad request<\/h1>/);
  assert.match(page.body, /bad &#60;escape&#62;/);
  for (const answer of [api, page]) {
    for (const { key, value } of securityHeaders) assert.equal(answer.headers[key.toLowerCase()], value, key);
    assert.equal(answer.headers["cache-control"], "no-store");
  }
  assert.equal(refusal({ method: "HEAD", url: "/e/%ZZ" }, { code: "malformed_url", message: "x" }).body, "");
});

/** A server that reads nothing but applies the floor, with tight test deadlines. */
async function floorServer(deadlines: typeof DEADLINES): Promise<{ server: Server; port: number; slow: number[] }> {
  const slow: number[] = [];
  const server = createServer((req, res) => {
    enforceBodyFloor(req, res, { deadlines, onTooSlow: (bytes) => slow.push(bytes) });
    req.on("data", () => {});
    req.on("end", () => res.end("done"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, slow };
}

const tight = { ...DEADLINES, bodyGraceMs: 200, bodyCheckMs: 50, bodyFloorBytesPerSecond: 64 * 1024 };

test("edge guard: a body that stalls after its headers is answered 408 and its connection closed", async () => {
  const { server, port, slow } = await floorServer(tight);
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write("POST /api/events/ev_x/photos HTTP/1.1\r\nhost: x\r\ncontent-type: multipart/form-data; boundary=b\r\ncontent-length: 1000000\r\n\r\n--b\r\n");
      });
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.match(answer, /"code":"request_timeout"/);
    assert.equal(slow.length, 1);
  } finally {
    server.close();
  }
});

test("edge guard: a body that keeps arriving above the floor is read to its end", async () => {
  // A floor far below what is sent, so a loaded machine's pauses cannot make it slow.
  const { server, port, slow } = await floorServer({ ...tight, bodyFloorBytesPerSecond: 1024 });
  try {
    const total = 256 * 1024;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ port, host: "127.0.0.1", method: "POST", path: "/x", headers: { "content-length": total } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      // 16 KiB every 20 ms: far above the floor, and for longer than the grace.
      let sent = 0;
      const tick = setInterval(() => {
        req.write(Buffer.alloc(16 * 1024));
        sent += 16 * 1024;
        if (sent >= total) {
          clearInterval(tick);
          req.end();
        }
      }, 20);
    });
    assert.equal(status, 200);
    assert.deepEqual(slow, []);
  } finally {
    server.close();
  }
});
