// The internal API's checks, against the real handler on a loopback node:http server: every
// refusal comes from the headers, before the body is read, and costs the site nothing else.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { migrate } from "@/lib/db/migrate";
import { BlobStore } from "@/lib/store/blob-store";
import type { Message } from "@/lib/twopc/messages";
import { NonceStore } from "./nonce-store";
import { internalHandler, type InternalSite } from "./serve";
import { signRequest, signatureHeaders } from "./signature";

const secret = "k".repeat(40);
const perPeer = 4;
const root = mkdtempSync(join(tmpdir(), "groupshot-serve-"));
const warnings: string[] = [];
const handled: Array<{ from: string; messages: readonly Message[] }> = [];
let server: http.Server;
let base: string;

before(async () => {
  const db = new Database(":memory:");
  migrate(db);
  const site: InternalSite = {
    config: {
      siteId: "s1",
      peers: [
        { siteId: "s0", url: "http://127.0.0.1:1" },
        { siteId: "s2", url: "http://127.0.0.1:1" },
      ],
      siteSecret: secret,
      signatureMaxAgeMs: 30_000,
      signatureMaxSkewMs: 5_000,
      internalCallsPerPeer: perPeer,
      benchEngineEndpoint: false,
    },
    logger: { info: () => undefined, warn: (_fields: unknown, msg: string) => void warnings.push(msg), error: () => undefined } as unknown as InternalSite["logger"],
    metrics: { internalRefused: { inc: () => undefined } } as unknown as InternalSite["metrics"],
    heartbeat: { observe: () => undefined },
    nonces: new NonceStore({ db, transactUnforced: (fn) => db.transaction(fn).immediate(), maxEntries: 10_000 }),
    blobs: new BlobStore(join(root, "blobs")),
    handleMessages: (from, messages) => {
      handled.push({ from, messages });
      return Promise.resolve([]);
    },
    benchCreateEvent: () => Promise.resolve({}),
  };
  server = http.createServer(internalHandler(site));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

type Answer = { status: number; headers: http.IncomingHttpHeaders; json: { error?: { code: string; message: string } } & Record<string, unknown>; sentBytes: number };

/**
 * One request whose body of `bodyBytes` is written in 64 KiB chunks only as fast as the server
 * reads it; resolves with the answer and how much of the body had been written when it came.
 * `stallAfterBytes` stops writing there (the request stays open until `abort`).
 */
function call(options: { method: string; path: string; headers: Record<string, string>; body?: Uint8Array; bodyBytes?: number; stallAfterBytes?: number; chunked?: boolean }) {
  const request = http.request(`${base}${options.path}`, { method: options.method, headers: options.headers, agent: false });
  let sentBytes = 0;
  const answer = new Promise<Answer>((resolve, reject) => {
    request.on("response", (res) => {
      const at = sentBytes;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString() || "{}") as Answer["json"], sentBytes: at }));
    });
    request.on("error", (error) => (sentBytes === 0 ? reject(error) : undefined)); // a refused upload ends in EPIPE/ECONNRESET after the answer
  });
  const body = options.body ?? new Uint8Array(options.bodyBytes ?? 0);
  const stallAt = options.stallAfterBytes ?? body.byteLength;
  if (!options.chunked) request.setHeader("content-length", String(body.byteLength));
  const pump = () => {
    while (sentBytes < stallAt && !request.destroyed) {
      const chunk = body.subarray(sentBytes, Math.min(stallAt, sentBytes + 64 * 1024));
      sentBytes += chunk.byteLength;
      if (!request.write(chunk)) return void request.once("drain", pump);
    }
    if (sentBytes >= body.byteLength && !request.destroyed) request.end();
  };
  pump();
  return { answer, abort: () => request.destroy() };
}

function sign(method: string, path: string, body: Uint8Array, overrides: Partial<{ siteId: string; bodySha256: string }> = {}) {
  return signRequest({ secret, siteId: overrides.siteId ?? "s0", method, path, body, bodySha256: overrides.bodySha256, nowMs: Date.now() });
}

const bigBytes = 60 * 1024 * 1024;
const blobPath = (name: string) => `/api/internal/blobs/${name}`;

test("five unsigned 60 MB blob PUTs at once are refused (401) before their bodies are read, and nothing is stored", async () => {
  const body = new Uint8Array(bigBytes);
  const answers = await Promise.all(Array.from({ length: 5 }, () => call({ method: "PUT", path: blobPath("a".repeat(64)), headers: {}, body }).answer));
  for (const answer of answers) {
    assert.equal(answer.status, 401);
    assert.equal(answer.json.error?.code, "unauthorized");
    assert.equal(answer.headers.connection, "close");
    assert.ok(answer.sentBytes < bigBytes, `the answer came before the body was sent (${answer.sentBytes} of ${bigBytes} bytes)`);
  }
  assert.equal(existsSync(join(root, "blobs", "aa")), false, "no blob, no temp file");
});

test("a signed call whose declared length is over the route's cap is refused (413) before its body is read", async () => {
  const path = "/api/internal/messages";
  const body = new Uint8Array(5 * 1024 * 1024);
  const answer = await call({ method: "POST", path, headers: sign("POST", path, body), body }).answer;
  assert.equal(answer.status, 413);
  assert.ok(answer.sentBytes < body.byteLength);
});

test("a signed call without a Content-Length (chunked) is refused (411)", async () => {
  const path = "/api/internal/ping";
  const body = new TextEncoder().encode("{}");
  const answer = await call({ method: "POST", path, headers: sign("POST", path, body), body, chunked: true }).answer;
  assert.equal(answer.status, 411);
  assert.equal(answer.json.error?.code, "length_required");
});

test("a signed call is answered; the same call again (a replay) is refused with 401", async () => {
  const path = "/api/internal/ping";
  const body = new TextEncoder().encode("{}");
  const headers = sign("POST", path, body);
  assert.equal((await call({ method: "POST", path, headers, body }).answer).status, 200);
  const replay = await call({ method: "POST", path, headers, body }).answer;
  assert.equal(replay.status, 401);
  assert.match(replay.json.error?.message ?? "", /replayed request/);
});

test("a body that is not the one signed is refused (401) and handed to nothing", async () => {
  const path = "/api/internal/messages";
  const signedBody = new TextEncoder().encode("[]");
  const answer = await call({ method: "POST", path, headers: sign("POST", path, signedBody), body: new TextEncoder().encode("{}") }).answer;
  assert.equal(answer.status, 401);
  assert.match(answer.json.error?.message ?? "", /body does not match its signature/);
  assert.equal(handled.length, 0);
});

test("a blob whose bytes are not its name's is refused (401), and no file is left, not even a temp file", async () => {
  const bytes = new Uint8Array(3 * 1024 * 1024).fill(7);
  const name = "b".repeat(64);
  const answer = await call({ method: "PUT", path: blobPath(name), headers: sign("PUT", blobPath(name), bytes, { bodySha256: name }), body: bytes }).answer;
  assert.equal(answer.status, 401);
  assert.deepEqual(existsSync(join(root, "blobs", "bb")) ? readdirSync(join(root, "blobs", "bb")) : [], []);
});

test("a signed blob is streamed to the store and kept under its name", async () => {
  const bytes = new Uint8Array(2 * 1024 * 1024).map((_, i) => i % 251);
  const name = createHash("sha256").update(bytes).digest("hex");
  const answer = await call({ method: "PUT", path: blobPath(name), headers: sign("PUT", blobPath(name), bytes, { bodySha256: name }), body: bytes }).answer;
  assert.equal(answer.status, 200);
  assert.deepEqual(readdirSync(join(root, "blobs", name.slice(0, 2))), [name]);
});

test(`a peer with ${perPeer} calls in progress gets 429 with Retry-After for the next; another peer is still served`, async () => {
  const bytes = new Uint8Array(1024 * 1024).fill(1);
  const name = createHash("sha256").update(bytes).digest("hex");
  const stalled = Array.from({ length: perPeer }, () => call({ method: "PUT", path: blobPath(name), headers: sign("PUT", blobPath(name), bytes, { bodySha256: name }), body: bytes, stallAfterBytes: 1024 }));
  try {
    // The stalled calls hold their slots once their headers have arrived; until then a whole call goes through.
    let next: Answer;
    do next = await call({ method: "PUT", path: blobPath(name), headers: sign("PUT", blobPath(name), bytes, { bodySha256: name }), body: bytes }).answer;
    while (next.status === 200);
    assert.equal(next.json.error?.code, "too_many_calls");
    assert.equal(next.headers["retry-after"], "1");
    const path = "/api/internal/ping";
    const ping = new TextEncoder().encode("{}");
    assert.equal((await call({ method: "POST", path, headers: sign("POST", path, ping, { siteId: "s2" }), body: ping }).answer).status, 200);
  } finally {
    for (const s of stalled) s.abort();
  }
  // Their slots come back when they end.
  const path = "/api/internal/ping";
  const ping = new TextEncoder().encode("{}");
  let status: number;
  do status = (await call({ method: "POST", path, headers: sign("POST", path, ping), body: ping }).answer).status;
  while (status === 429);
  assert.equal(status, 200);
});

test("a thousand forged calls cost a line or two of log, not a thousand", async () => {
  const before = warnings.length;
  const path = "/api/internal/ping";
  const body = new TextEncoder().encode("{}");
  for (let i = 0; i < 10; i++) {
    await Promise.all(
      Array.from({ length: 100 }, (_, j) => call({ method: "POST", path, headers: { ...sign("POST", path, body), [signatureHeaders.site]: `x${i}-${j}` }, body }).answer),
    );
  }
  assert.ok(warnings.length - before <= 2, `${warnings.length - before} lines`);
});
