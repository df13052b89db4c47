import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, badRequest, notFound, unauthorized } from "@/lib/errors";
import { readBody } from "@/lib/http/read-body";
import type { ErrorBody } from "@/lib/http/error-response";
import { httpStatusOf } from "@/lib/http/status";
import { blobHash } from "@/lib/store/blob-store";
import type { BlobStore } from "@/lib/store/blob-store";
import type { SiteConfig } from "@/lib/config/load-config";
import type { Logger } from "@/lib/site/logger";
import { parseMessages, type Message } from "@/lib/twopc/messages";
import type { Heartbeat } from "./heartbeat";
import { verifyRequest, type NonceCache } from "./signature";

/** A node:http request handler; what scripts/server.mjs calls for every /api/internal/* request. */
export type InternalHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** What the internal API needs of its site (lib/server/boot.ts assembles it). */
export type InternalSite = {
  config: Pick<SiteConfig, "siteId" | "peers" | "siteSecret" | "signatureMaxAgeMs" | "benchEngineEndpoint">;
  logger: Logger;
  heartbeat: Pick<Heartbeat, "observe">;
  nonces: NonceCache;
  blobs: Pick<BlobStore, "writeAsync">;
  /** Handles a batch of protocol messages from a peer durably; the replies. */
  handleMessages(from: string, messages: readonly Message[]): Promise<Message[]>;
  /** The bench's engine-level create-event (routed only with BENCH_ENGINE_ENDPOINT=1). */
  benchCreateEvent(body: unknown): Promise<unknown>;
};

type Call = { site: InternalSite; from: string; body: Uint8Array; match: RegExpExecArray };
type Route = {
  method: "POST" | "PUT";
  pattern: RegExp;
  maxBodyBytes: number;
  /** The body's sha256 named by the path, which `run` checks against the bytes: the signature is verified without hashing them here. */
  bodySha256?: (match: RegExpExecArray) => string | undefined;
  run: (call: Call) => unknown;
  /** Off routes are not served at all (404 before the signature is checked). */
  enabled?: (site: InternalSite) => boolean;
};

/**
 * The signed site-to-site API. Served from node:http directly (scripts/server.mjs), not through
 * Next.js routing: every 2PC message crosses it, and the framework's per-request work was several
 * times the protocol's physical floor.
 */
const routes: Route[] = [
  {
    method: "POST",
    pattern: /^\/api\/internal\/ping$/,
    maxBodyBytes: 1024,
    run: ({ site, from }) => {
      site.heartbeat.observe(from, true);
      return { siteId: site.config.siteId, atMs: Date.now() };
    },
  },
  {
    // Protocol messages from a peer: each handled durably before its reply is returned.
    method: "POST",
    pattern: /^\/api\/internal\/messages$/,
    maxBodyBytes: 4 * 1024 * 1024,
    run: ({ site, from, body }) => {
      const parsed = parseMessages(parseJson(body));
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
    run: ({ site, body }) => site.benchCreateEvent(parseJson(body)),
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
        // Durable before the answer (the PREPARE that needs it comes after), off the event loop;
        // refused unless the bytes hash to their name, which the signature vouched for.
        await site.blobs.writeAsync(body, hash);
      } catch (error) {
        if (error instanceof Error && error.message.includes("does not match")) throw badRequest("The bytes do not match their sha256.");
        throw error; // a disk that fails is the site's problem (500, logged), not the caller's
      }
      return { stored: true };
    },
  },
];

/** The handler for this site: routes, reads the body within its limit, verifies the signature, answers JSON. */
export function internalHandler(site: InternalSite): InternalHandler {
  const knownSites = new Set(site.config.peers.map((p) => p.siteId));
  const served = routes.filter((route) => route.enabled?.(site) ?? true);
  return (req, res) => {
    void serve(req, res).catch((error: unknown) => {
      site.logger.error({ err: error }, "internal call failed");
      if (!res.headersSent) reply(res, 500, errorBody("internal", "Something went wrong on this site."), true);
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
    let body: Uint8Array;
    try {
      body = await readBody(req, route.maxBodyBytes);
    } catch (error) {
      return refuse(req, res, error);
    }
    const nowMs = Date.now();
    const verdict = verifyRequest({
      secret: site.config.siteSecret,
      knownSites,
      method: req.method ?? "",
      path,
      headers: headersOf(req),
      body,
      bodySha256: route.bodySha256?.(match),
      nowMs,
      maxAgeMs: site.config.signatureMaxAgeMs,
      nonces: site.nonces,
    });
    if (!verdict.ok) {
      site.logger.warn({ path: pathname, reason: verdict.reason }, "internal call refused");
      return refuse(req, res, unauthorized(`Internal API: ${verdict.reason}.`));
    }
    let answer: unknown;
    try {
      answer = await route.run({ site, from: verdict.siteId, body, match });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return refuse(req, res, error);
    }
    reply(res, 200, answer, false);
  }
}

/** Answers a refused call with its JSON error; closes the connection if the body was not read to the end. */
function refuse(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (!(error instanceof AppError)) throw error;
  reply(res, httpStatusOf(error.code), errorBody(error.code, error.message), !req.complete);
}

function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

function reply(res: ServerResponse, status: number, body: unknown, close: boolean): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": bytes.byteLength,
    "cache-control": "no-store",
    ...(close ? { connection: "close" } : {}),
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

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  return headers;
}
