import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { AppError, badRequest, notFound, tooLarge, unauthorized } from "@/lib/errors";
import { readBody } from "@/lib/http/read-body";
import type { ErrorBody } from "@/lib/http/error-response";
import { httpStatusOf, retryAfterSecondsFor } from "@/lib/http/status";
import { BlobHashMismatchError, blobHash } from "@/lib/store/blob-store";
import type { BlobStore } from "@/lib/store/blob-store";
import type { SiteConfig } from "@/lib/config/load-config";
import type { Logger } from "@/lib/site/logger";
import type { Metrics } from "@/lib/site/metrics";
import { parseMessages, type Message } from "@/lib/twopc/messages";
import type { Heartbeat } from "./heartbeat";
import type { NonceStore } from "./nonce-store";
import { RefusalLog } from "./refusal-log";
import { verifyHeaders, signatureHeaders, type RefusalReason } from "./signature";

/** A node:http request handler; what scripts/server.mjs calls for every /api/internal/* request. */
export type InternalHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** What the internal API needs of its site (lib/server/boot.ts assembles it). */
export type InternalSite = {
  config: Pick<SiteConfig, "siteId" | "peers" | "siteSecret" | "signatureMaxAgeMs" | "signatureMaxSkewMs" | "internalCallsPerPeer" | "benchEngineEndpoint">;
  logger: Pick<Logger, "info" | "warn" | "error">;
  metrics: Pick<Metrics, "internalRefused">;
  heartbeat: Pick<Heartbeat, "observe">;
  nonces: Pick<NonceStore, "remember">;
  blobs: Pick<BlobStore, "writeStream">;
  /** Handles a batch of protocol messages from a peer durably; the replies. */
  handleMessages(from: string, messages: readonly Message[]): Promise<Message[]>;
  /** The bench's engine-level create-event (routed only with BENCH_ENGINE_ENDPOINT=1). */
  benchCreateEvent(body: unknown): Promise<unknown>;
};

/** A signed call's body, not read yet: a route takes it whole or as a stream. */
type SignedBody = {
  /** The whole body (small JSON bodies), refused (401) unless it hashes to the signed sha256. */
  bytes(): Promise<Uint8Array>;
  /** The chunks as they arrive, for a consumer that checks them against the signed sha256 itself (the blob store). */
  chunks: AsyncIterable<Uint8Array>;
};
type Call = { site: InternalSite; from: string; body: SignedBody; match: RegExpExecArray };
type Route = {
  method: "POST" | "PUT";
  pattern: RegExp;
  /** The route's cap: a larger declared Content-Length is refused before a body byte is read. */
  maxBodyBytes: number;
  /** The body's sha256 named by the path (a blob's name is its hash): signed and checked in place of the content-sha256 header. */
  bodySha256?: (match: RegExpExecArray) => string | undefined;
  run: (call: Call) => unknown;
  /** Off routes are not served at all (404 before the signature is checked). */
  enabled?: (site: InternalSite) => boolean;
};

/** A body whose bytes are not the ones signed: nothing was done with it. */
const bodyMismatch = () => unauthorized("Internal API: body does not match its signature.");

/**
 * The signed site-to-site API. Served from node:http directly (scripts/server.mjs), not through
 * Next.js routing: every 2PC message crosses it, and the framework's per-request work was several
 * times the protocol's physical floor. Everything about a call is checked from its headers
 * before a body byte is read (docs/PROTOCOL.md, "Signed internal calls").
 */
const routes: Route[] = [
  {
    method: "POST",
    pattern: /^\/api\/internal\/ping$/,
    maxBodyBytes: 1024,
    run: async ({ site, from, body }) => {
      await body.bytes();
      site.heartbeat.observe(from, true);
      return { siteId: site.config.siteId, atMs: Date.now() };
    },
  },
  {
    // Protocol messages from a peer: each handled durably before its reply is returned.
    method: "POST",
    pattern: /^\/api\/internal\/messages$/,
    maxBodyBytes: 4 * 1024 * 1024,
    run: async ({ site, from, body }) => {
      const parsed = parseMessages(parseJson(await body.bytes()));
      if (!parsed.ok) throw badRequest(`Not a batch of protocol messages: ${parsed.error}`);
      site.heartbeat.observe(from, true);
      return site.handleMessages(from, parsed.messages);
    },
  },
  {
    // The bench's engine-level create-event (BENCH_ENGINE_ENDPOINT=1 only; 404 otherwise).
    method: "POST",
    pattern: /^\/api\/internal\/bench\/create-event$/,
    maxBodyBytes: 1024,
    enabled: (site) => site.config.benchEngineEndpoint,
    run: async ({ site, body }) => site.benchCreateEvent(parseJson(await body.bytes())),
  },
  {
    // A peer hands over a photo's bytes before the PREPARE that refers to them.
    method: "PUT",
    pattern: /^\/api\/internal\/blobs\/([^/?]*)$/,
    maxBodyBytes: 64 * 1024 * 1024,
    bodySha256: (match) => (blobHash.test(match[1] ?? "") ? match[1] : undefined),
    run: async ({ site, body, match }) => {
      const hash = match[1] ?? "";
      if (!blobHash.test(hash)) throw badRequest("Not a sha256 blob name.");
      try {
        // Streamed to a temp file and hashed chunk by chunk (never held whole), durable before
        // the answer (the PREPARE that needs it comes after), and kept only if the bytes hash to
        // their name, which the signature vouched for.
        await site.blobs.writeStream(body.chunks, hash);
      } catch (error) {
        if (error instanceof BlobHashMismatchError) throw bodyMismatch();
        throw error; // a disk that fails is the site's problem (500, logged), not the caller's
      }
      return { stored: true };
    },
  },
];

/** Calls at once per peer beyond which a call is refused (429): a peer's client keeps at most 16 connections to a site (peer-client.ts). */
class PeerSlots {
  private readonly busy = new Map<string, number>();
  constructor(private readonly perPeer: number) {}

  /** A slot for `peer`, or undefined when it has `perPeer` calls in progress; the caller releases it once. */
  take(peer: string): (() => void) | undefined {
    const inUse = this.busy.get(peer) ?? 0;
    if (inUse >= this.perPeer) return undefined;
    this.busy.set(peer, inUse + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.busy.get(peer) ?? 1) - 1;
      if (left > 0) this.busy.set(peer, left);
      else this.busy.delete(peer);
    };
  }
}

/** A peer whose call is refused for now tries again this soon (its own retries back off further). */
const PEER_RETRY_AFTER_SECONDS = 1;

/**
 * The handler for this site. In order, before any body byte is read: the route (404/405), the
 * signature headers (sender, timestamp window, HMAC over the claimed body hash: 401), the declared
 * length (411/413), a slot of the sender's (429), the nonce (401 when replayed). Only then is
 * the body read, and checked against the signed hash as it arrives (401 on a mismatch, nothing
 * done with it). A refused call is answered at once and its connection closed, its body unread.
 */
export function internalHandler(site: InternalSite): InternalHandler {
  const knownSites = new Set(site.config.peers.map((p) => p.siteId));
  const served = routes.filter((route) => route.enabled?.(site) ?? true);
  const slots = new PeerSlots(site.config.internalCallsPerPeer);
  const refusals = new RefusalLog({
    log: site.logger,
    knownSites,
    onRefused: (sender, reason) => site.metrics.internalRefused.inc({ sender, reason }),
  });
  return (req, res) => {
    void serve(req, res).catch((error: unknown) => {
      if (req.destroyed && !req.complete) {
        // The caller went away mid-body (a peer's timeout, a closed connection): nothing was done.
        site.logger.info({ path: req.url?.slice(0, 200) }, "internal call ended: the caller went away before its body was read");
        res.destroy();
        return;
      }
      site.logger.error({ err: error }, "internal call failed");
      if (!res.headersSent) reply(res, 500, errorBody("internal", "Something went wrong on this site."), { close: true });
      else res.destroy();
    });
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? "/";
    const pathname = path.split("?")[0] ?? path;
    const matching = served.map((route) => ({ route, match: route.pattern.exec(pathname) })).filter((m) => m.match !== null);
    const found = matching.find((m) => m.route.method === req.method);
    if (!found?.match) {
      const error = matching.length > 0 ? new AppError("method_not_allowed", `Use ${matching[0]?.route.method}.`) : notFound("No such internal endpoint.");
      return refuse(req, res, error);
    }
    const { route, match } = found;
    const refuseUnsigned = (reason: RefusalReason) => {
      const claimed = req.headers[signatureHeaders.site];
      refusals.refused({ claimedSender: typeof claimed === "string" ? claimed : undefined, reason, path: pathname, address: req.socket.remoteAddress });
      refuse(req, res, unauthorized(`Internal API: ${reason}.`));
    };
    const nowMs = Date.now();
    const signed = verifyHeaders({
      secret: site.config.siteSecret,
      knownSites,
      method: req.method ?? "",
      path,
      headers: req.headers,
      bodySha256: route.bodySha256?.(match),
      nowMs,
      maxAgeMs: site.config.signatureMaxAgeMs,
      maxFutureSkewMs: site.config.signatureMaxSkewMs,
    });
    if (!signed.ok) return refuseUnsigned(signed.reason);
    const declared = declaredLength(req);
    if (declared === undefined) return refuse(req, res, new AppError("length_required", "Internal calls declare their Content-Length."));
    if (declared > route.maxBodyBytes) return refuse(req, res, tooLarge(`The request body is larger than ${route.maxBodyBytes} bytes.`));
    const release = slots.take(signed.siteId);
    if (!release) return refuse(req, res, new AppError("too_many_calls", `More than ${site.config.internalCallsPerPeer} calls at once from ${signed.siteId}.`, { details: { retryAfterSeconds: PEER_RETRY_AFTER_SECONDS } }));
    res.once("close", release);
    const nonce = site.nonces.remember(signed.siteId, signed.nonce, signed.nonceExpiresAtMs, nowMs);
    if (nonce === "replayed") return refuseUnsigned("replayed request");
    if (nonce === "full") return refuse(req, res, new AppError("too_many_calls", "This site remembers as many recent calls as it may; try again shortly.", { details: { retryAfterSeconds: PEER_RETRY_AFTER_SECONDS } }));
    const body = signedBody(req, declared, signed.bodySha256);
    let answer: unknown;
    try {
      answer = await route.run({ site, from: signed.siteId, body, match });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === "unauthorized") refusals.refused({ claimedSender: signed.siteId, reason: "body does not match its signature", path: pathname, address: req.socket.remoteAddress });
      return refuse(req, res, error);
    }
    reply(res, 200, answer, { close: false });
  }
}

/** The declared Content-Length; undefined when there is none (a chunked body) or it is not a plain number. */
function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers["content-length"];
  return header !== undefined && /^\d{1,12}$/.test(header) ? Number(header) : undefined;
}

/** The body of a call whose headers were verified: `declaredBytes` long (node:http holds it to that), hashing to `sha256`. */
function signedBody(req: IncomingMessage, declaredBytes: number, sha256: string): SignedBody {
  return {
    chunks: req,
    bytes: async () => {
      const bytes = await readBody(req, declaredBytes);
      if (createHash("sha256").update(bytes).digest("hex") !== sha256) throw bodyMismatch();
      return bytes;
    },
  };
}

/** Answers a refused call with its JSON error; closes the connection if the body was not read to the end. */
function refuse(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (!(error instanceof AppError)) throw error;
  reply(res, httpStatusOf(error.code), errorBody(error.code, error.message), { close: !req.complete, retryAfterSeconds: retryAfterSecondsFor(error) });
}

function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

function reply(res: ServerResponse, status: number, body: unknown, options: { close: boolean; retryAfterSeconds?: number | undefined }): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": bytes.byteLength,
    "cache-control": "no-store",
    ...(options.retryAfterSeconds !== undefined ? { "retry-after": String(options.retryAfterSeconds) } : {}),
    ...(options.close ? { connection: "close" } : {}),
  });
  res.end(bytes);
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8")) as unknown;
  } catch {
    throw badRequest("The body is not JSON.");
  }
}
