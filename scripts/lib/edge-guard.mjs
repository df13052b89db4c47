// What scripts/server.mjs checks of every request before Next.js (or the internal API) sees it,
// and the deadlines of its node:http server. Next.js answers a bad percent-escape in a path, or
// a method such as TRACE, with a plain-text 500; these answers are a clear 4xx instead: JSON for
// /api/* (the API's error shape and codes, lib/http/status.ts), a small HTML page for pages, both
// with the site's security headers. Plain JavaScript so server.mjs runs it without tsx.
import { Buffer } from "node:buffer";
import { performance } from "node:perf_hooks";
import { clearInterval, setInterval, setTimeout } from "node:timers";
import { securityHeaders } from "./security-headers.js";

/** The methods a site serves; anything else (TRACE, CONNECT, made-up tokens) is a 405 with this list in `Allow`. */
export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
/** The longest request target (path and query) a site reads; longer is a 414. Ours are under 200 characters. */
export const MAX_URL_CHARS = 4096;

/** The node:http server's deadlines (README, "Limits of a request"). */
export const DEADLINES = {
  /** A request's headers must have arrived this long after its first byte (Node's default: 60 s). */
  headersTimeoutMs: 10_000,
  /** The whole request, headers and body, must have arrived by then (Node's default, made explicit). */
  requestTimeoutMs: 300_000,
  /** How often node:http checks those two (Node's default: 30 s). */
  connectionsCheckingIntervalMs: 2_000,
  /** An idle keep-alive connection is closed after this (Node's default). */
  keepAliveTimeoutMs: 5_000,
  /** At most this many header lines (Node's default: 2,000). */
  maxHeadersCount: 100,
  /** A body gets this long before the slow-client floor applies… */
  bodyGraceMs: 10_000,
  /** …and must then keep arriving at this average rate (32 KiB/s), checked every `bodyCheckMs`. */
  bodyFloorBytesPerSecond: 32 * 1024,
  bodyCheckMs: 2_000,
};

/** The codes these answers use (each has the same status in lib/http/status.ts; edge-guard.test.ts checks). */
export const EDGE_CODES = { malformed_url: 400, url_too_long: 414, method_not_allowed: 405, request_timeout: 408 };

/**
 * What is wrong with a request's method and target, or null when Next.js may have it.
 * @param {{ method?: string; url?: string }} request
 * @returns {{ code: keyof typeof EDGE_CODES; message: string } | null}
 */
export function requestProblem({ method = "", url = "" }) {
  if (!ALLOWED_METHODS.includes(method)) return { code: "method_not_allowed", message: `This site does not serve ${safeToken(method)} requests.` };
  if (url.length > MAX_URL_CHARS) return { code: "url_too_long", message: `The address is longer than ${MAX_URL_CHARS} characters.` };
  // Origin-form only ("/path?query"): no absolute-form (a proxy's "http://host/…"), no "*".
  if (!url.startsWith("/")) return { code: "malformed_url", message: "The request target is not a path." };
  let path;
  try {
    // Every escape, in the path and the query, must be %XX and decode to UTF-8.
    decodeURIComponent(url);
    path = decodeURIComponent(url.split("?", 1)[0] ?? "");
  } catch {
    return { code: "malformed_url", message: "The address has a malformed percent-escape." };
  }
  // A control character (NUL, newline, …) in a path is never one of ours, and some layers cut at NUL.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return { code: "malformed_url", message: "The address holds a control character." };
  return null;
}

/** A method as it may appear in a message: a token of at most 20 letters, else "such". */
function safeToken(method) {
  return /^[A-Za-z]{1,20}$/.test(method) ? method : "such";
}

const PAGE_TITLES = { 400: "Bad request", 405: "Method not allowed", 408: "Request timeout", 414: "Address too long" };
const REASONS = { 400: "Bad Request", 405: "Method Not Allowed", 408: "Request Timeout", 414: "URI Too Long" };

/**
 * A refused request's answer: JSON `{ error: { code, message } }` under /api/ (and for anything
 * that is not a path), a small HTML page elsewhere; the site's security headers; `Allow` on a
 * 405; the connection closed (its body, if any, is not read).
 * @param {{ method?: string; url?: string }} req
 * @param {{ code: keyof typeof EDGE_CODES; message: string }} problem
 * @returns {{ status: number; headers: Record<string, string>; body: string }}
 */
export function refusal(req, problem) {
  const status = EDGE_CODES[problem.code];
  const api = !req.url?.startsWith("/") || req.url.startsWith("/api/") || req.url === "/api";
  const text = api ? JSON.stringify({ error: { code: problem.code, message: problem.message } }) : htmlPage(status, problem.message);
  const body = req.method === "HEAD" ? "" : text;
  const headers = {
    "content-type": api ? "application/json" : "text/html; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    "cache-control": "no-store",
    connection: "close",
    ...Object.fromEntries(securityHeaders.map(({ key, value }) => [key.toLowerCase(), value])),
    ...(status === 405 ? { allow: ALLOWED_METHODS.join(", ") } : {}),
  };
  return { status, headers, body };
}

/**
 * Answers a refused request before anything else handles it.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {{ code: keyof typeof EDGE_CODES; message: string }} problem
 */
export function refuse(req, res, problem) {
  const { status, headers, body } = refusal(req, problem);
  res.shouldKeepAlive = false;
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * The same answer as raw HTTP/1.1 bytes, for where node:http gives a socket and no response
 * object (CONNECT, a method its parser does not know, a handler that still owns the response).
 * @param {{ method?: string; url?: string }} req
 * @param {{ code: keyof typeof EDGE_CODES; message: string }} problem
 */
export function rawRefusal(req, problem) {
  const { status, headers, body } = refusal(req, problem);
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  return `HTTP/1.1 ${status} ${REASONS[status] ?? "Refused"}\r\n${head}\r\n${body}`;
}

function htmlPage(status, message) {
  const title = PAGE_TITLES[status] ?? "Refused";
  const text = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · groupshot</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p><p><a href="/">Go to the start page</a></p></body></html>`;
}

/**
 * The slow-client floor: once a request's body has had `bodyGraceMs`, it must keep arriving at
 * `bodyFloorBytesPerSecond` on average, or the request is answered 408 (if nothing was answered
 * yet) and its connection closed. Time in which the site itself is not reading (bytes wait
 * unread in the request's buffer) is not the client's and does not count. Stops when the body has
 * arrived or the answer is done. Holds one timer per request with a body, nothing per byte.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {{ onTooSlow?: (receivedBytes: number, elapsedMs: number) => void; deadlines?: typeof DEADLINES; nowMs?: () => number }} [options]
 */
export function enforceBodyFloor(req, res, options = {}) {
  const deadlines = options.deadlines ?? DEADLINES;
  const nowMs = options.nowMs ?? (() => performance.now());
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  if (!hasBody || req.complete) return;
  const socket = req.socket;
  const startBytes = socket.bytesRead;
  let countedMs = 0;
  let lastMs = nowMs();
  const timer = setInterval(() => {
    const now = nowMs();
    // Bytes already here and not yet read: the site is the slow one (or busy); the client is not to blame.
    if (req.readableLength === 0) countedMs += now - lastMs;
    lastMs = now;
    if (countedMs <= deadlines.bodyGraceMs) return;
    const received = socket.bytesRead - startBytes;
    if (received >= (deadlines.bodyFloorBytesPerSecond * (countedMs - deadlines.bodyGraceMs)) / 1000) return;
    stop();
    options.onTooSlow?.(received, countedMs);
    // The handler (Next.js, or the internal API) still owns `res`: the 408 goes onto the socket
    // itself, as node:http's own requestTimeout does, and the connection ends; the handler's read
    // of the body then fails (a client_disconnected, logged as info) and its answer goes nowhere.
    if (!res.headersSent && socket.writable) {
      socket.end(rawRefusal(req, { code: "request_timeout", message: `The request body arrived slower than ${deadlines.bodyFloorBytesPerSecond} bytes a second.` }));
    }
    setTimeout(() => socket.destroy(), 1_000).unref();
  }, deadlines.bodyCheckMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  req.once("end", stop);
  req.once("close", stop);
  res.once("close", stop);
}

/** node:http's createServer options for DEADLINES. */
export const serverOptions = {
  headersTimeout: DEADLINES.headersTimeoutMs,
  requestTimeout: DEADLINES.requestTimeoutMs,
  connectionsCheckingInterval: DEADLINES.connectionsCheckingIntervalMs,
  requireHostHeader: true,
};

/**
 * Applies the DEADLINES that are properties rather than createServer options.
 * @param {import("node:http").Server} server
 */
export function applyDeadlines(server) {
  server.keepAliveTimeout = DEADLINES.keepAliveTimeoutMs;
  server.maxHeadersCount = DEADLINES.maxHeadersCount;
}
