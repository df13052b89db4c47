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
 * answer with a zod schema. Node's fetch keeps connections to each peer alive between calls.
 */
export async function callPeer<S extends z.ZodType>(
  client: PeerClientOptions,
  call: { peer: SiteRef; method?: "POST" | "PUT"; path: string; body: Uint8Array<ArrayBuffer>; contentType?: string; timeoutMs: number; answer: S },
): Promise<z.infer<S>> {
  const method = call.method ?? "POST";
  const headers = signRequest({
    secret: client.secret,
    siteId: client.siteId,
    method,
    path: call.path,
    body: call.body,
    nowMs: (client.nowMs ?? Date.now)(),
  });
  let response: Response;
  try {
    response = await fetch(`${call.peer.url}${call.path}`, {
      method,
      headers: { ...headers, "content-type": call.contentType ?? "application/json" },
      body: call.body,
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${call.timeoutMs} ms` : describe(error);
    throw new PeerCallError(call.peer.siteId, reason);
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new PeerCallError(call.peer.siteId, `HTTP ${response.status} without a JSON body`);
  }
  if (!response.ok) throw new PeerCallError(call.peer.siteId, `HTTP ${response.status}: ${JSON.stringify(json).slice(0, 200)}`);
  const parsed = call.answer.safeParse(json);
  if (!parsed.success) throw new PeerCallError(call.peer.siteId, `unexpected answer: ${parsed.error.message.slice(0, 200)}`);
  return parsed.data;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
