// One site's HTTP server: Next.js for the product (pages and the public API), and the signed
// site-to-site API (/api/internal/*) served straight from node:http, without Next.js's
// per-request routing (~4 ms per request on these machines, several times the whole 2PC floor).
// The internal handler is part of the site context that lib/server/boot.ts builds and
// lib/server/context.ts keeps on globalThis when instrumentation.ts starts the site. Before
// either sees a request, the edge guard (scripts/lib/edge-guard.mjs) refuses malformed targets
// and unknown methods with a clear 4xx, and holds every body to a slow-client floor.
// Run by scripts/site.sh; configured only by environment variables (README).
import { createServer } from "node:http";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { applyDeadlines, enforceBodyFloor, rawRefusal, refuse, requestProblem, serverOptions } from "./lib/edge-guard.mjs";
import { nativeProblemMessage, unsupportedNodeMessage } from "./lib/node-support.mjs";

// Before anything listens: an unsupported Node, or a better-sqlite3 built for another Node,
// stops the site with one line that says what to do (not a stack trace from `bindings`).
const startProblem = unsupportedNodeMessage() ?? nativeProblemMessage();
if (startProblem) {
  console.error(`groupshot: ${startProblem}`);
  process.exit(1);
}

const port = Number(process.env.PORT ?? "8000");
const hostname = process.env.HOST ?? "127.0.0.1";
const dir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const app = next({ dev: false, dir, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

/** Internal calls that arrive before the site has started: peers retry them (JSON, like every answer). */
function starting(res) {
  res.writeHead(503, { "content-type": "application/json", "retry-after": "1", connection: "close" });
  res.end(JSON.stringify({ error: { code: "starting", message: "This site is starting; try again shortly." } }));
}

/**
 * Next.js 16 drops Content-Length from every route handler's Response; a response that knows
 * its exact length (downloads, images: lib/http/exact-length.ts) sends it under this private
 * name, made Content-Length here as the headers go out (Node then writes the body unchunked),
 * so a browser shows a download's progress and a body cut short is seen as incomplete. Not when
 * the body is re-encoded (Content-Encoding): its length is not the one declared.
 */
const EXACT_LENGTH_HEADER = "x-groupshot-content-length";
function restoreExactLength(res) {
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadWithExactLength(...args) {
    const exact = res.getHeader(EXACT_LENGTH_HEADER);
    if (exact !== undefined) {
      res.removeHeader(EXACT_LENGTH_HEADER);
      if (res.getHeader("content-encoding") === undefined && /^\d{1,15}$/.test(String(exact))) res.setHeader("content-length", String(exact));
    }
    return writeHead.apply(res, args);
  };
}

const server = createServer(serverOptions, (req, res) => {
  const problem = requestProblem(req);
  if (problem) return refuse(req, res, problem);
  enforceBodyFloor(req, res, {
    onTooSlow: (receivedBytes, elapsedMs) =>
      globalThis.__groupshot?.logger.info({ method: req.method, path: req.url?.split("?", 1)[0], receivedBytes, elapsedMs: Math.round(elapsedMs) }, "request body too slow; connection closed"),
  });
  if (!req.url.startsWith("/api/internal/")) {
    if (req.url.startsWith("/api/")) restoreExactLength(res);
    return void handle(req, res);
  }
  const internal = globalThis.__groupshot?.internal;
  if (typeof internal === "function") internal(req, res);
  else starting(res);
});
applyDeadlines(server);
// CONNECT is not a request node:http hands to the request handler: refused here, like TRACE.
server.on("connect", (req, socket) => {
  socket.end(rawRefusal(req, { code: "method_not_allowed", message: "This site does not serve CONNECT requests." }));
});
// A request node:http could not parse, or whose headers or whole request missed its deadline.
server.on("clientError", (error, socket) => {
  if (!socket.writable || error.code === "ECONNRESET") return void socket.destroy();
  if (error.code === "HPE_INVALID_METHOD") return void socket.end(rawRefusal({}, { code: "method_not_allowed", message: "This site does not serve such requests." }));
  const status =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
  socket.end(`HTTP/1.1 ${status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
});
server.listen(port, hostname, () => {
  console.log(`groupshot: listening on http://${hostname}:${port}`);
  // Next.js runs instrumentation.ts (which starts the site: database, engine, heartbeat, the
  // internal handler) on its first request, not at prepare() in production. One request now
  // starts the site at boot instead of when the first visitor arrives; a failed start exits.
  fetch(`http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}/api/health`, { signal: AbortSignal.timeout(60_000) })
    .then((response) => response.body?.cancel())
    .catch((error) => console.error(`groupshot: the first request to this site failed: ${String(error)}`));
});
