import http from "node:http";
import https from "node:https";
import type { z } from "zod";
import type { SiteRef } from "@/lib/config/schema";
import { signRequest } from "./signature";

/** A call to a peer that did not produce a valid answer. Never definite: it may have happened. */
export class PeerCallError extends Error {
  override name = "PeerCallError";
  readonly definite = false;
  constructor(readonly peer: string, readonly reason: string) {
    super(`call to ${peer} failed: ${reason}`);
  }
}

export type PeerClientOptions = { siteId: string; secret: string; nowMs?: () => number };

/**
 * Calls a peer's internal API: signs the request, bounds it with a timeout, and checks the
 * answer with a zod schema. Connections to each peer are kept alive between calls.
 */
export async function callPeer<S extends z.ZodType>(
  client: PeerClientOptions,
  call: { peer: SiteRef; method?: "POST" | "PUT"; path: string; body: Uint8Array; bodySha256?: string; contentType?: string; timeoutMs: number; answer: S },
): Promise<z.infer<S>> {
  const method = call.method ?? "POST";
  const headers = signRequest({
    secret: client.secret,
    siteId: client.siteId,
    method,
    path: call.path,
    body: call.body,
    bodySha256: call.bodySha256,
    nowMs: (client.nowMs ?? Date.now)(),
  });
  let answer: { status: number; body: Buffer };
  try {
    answer = await send(new URL(call.path, call.peer.url), {
      method,
      headers: { ...headers, "content-type": call.contentType ?? "application/json" },
      body: call.body,
      timeoutMs: call.timeoutMs,
    });
  } catch (error) {
    throw new PeerCallError(call.peer.siteId, describe(error));
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.body.toString("utf8"));
  } catch {
    throw new PeerCallError(call.peer.siteId, `HTTP ${answer.status} without a JSON body`);
  }
  if (answer.status < 200 || answer.status > 299) throw new PeerCallError(call.peer.siteId, `HTTP ${answer.status}: ${JSON.stringify(json).slice(0, 200)}`);
  const parsed = call.answer.safeParse(json);
  if (!parsed.success) throw new PeerCallError(call.peer.siteId, `unexpected answer: ${parsed.error.message.slice(0, 200)}`);
  return parsed.data;
}

/** Largest answer a peer may send (a batch of replies is far smaller): more is a failed call. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
// One pool of kept-alive connections per process and scheme, shared by every peer call. An idle
// connection is closed after 4 s, before the peer's server would (Node's keepAliveTimeout is
// 5 s), so a call never goes out on a connection the other side is closing.
const pool = { keepAlive: true, maxSockets: 16, timeout: 4_000 };
const agents = { "http:": new http.Agent(pool), "https:": new https.Agent(pool) };

/** One request on a kept-alive connection, bounded by `timeoutMs` from start to the answer's last byte. */
function send(url: URL, options: { method: string; headers: Record<string, string>; body: Uint8Array; timeoutMs: number }): Promise<{ status: number; body: Buffer }> {
  const scheme = url.protocol === "https:" ? "https:" : "http:";
  const request = scheme === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, headers: { ...options.headers, "content-length": String(options.body.byteLength) }, agent: agents[scheme] }, (res) => {
      const chunks: Buffer[] = [];
      let total = 0;
      res.on("data", (chunk: Buffer) => {
        total += chunk.byteLength;
        if (total > MAX_ANSWER_BYTES) req.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks, total) });
      });
      res.on("error", fail);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      reject(error);
    }
    req.on("error", fail);
    req.end(options.body);
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
