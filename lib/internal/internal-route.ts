import "server-only";
import { getSite, type Site } from "@/lib/site/site";
import { readBody } from "@/lib/http/read-body";
import { errorResponse } from "@/lib/http/error-response";
import { unauthorized } from "@/lib/http/app-error";
import { verifyRequest } from "./signature";

export type InternalContext = { site: Site; from: string; body: Uint8Array; request: Request };

/**
 * Wraps a handler of the internal site-to-site API: reads the body within its limit, verifies
 * the HMAC signature, freshness and nonce, and answers 401 without running the handler when
 * any of that fails.
 */
export function internalRoute(options: { maxBodyBytes: number }, handler: (context: InternalContext) => Promise<Response> | Response) {
  return async (request: Request): Promise<Response> => {
    const site = getSite();
    try {
      const body = await readBody(request, options.maxBodyBytes);
      const url = new URL(request.url);
      const verdict = verifyRequest({
        secret: site.config.siteSecret,
        knownSites: new Set(site.config.peers.map((p) => p.siteId)),
        method: request.method,
        path: `${url.pathname}${url.search}`,
        headers: request.headers,
        body,
        nowMs: Date.now(),
        maxAgeMs: site.config.signatureMaxAgeMs,
        nonces: site.nonces,
      });
      if (!verdict.ok) {
        site.logger.warn({ path: url.pathname, reason: verdict.reason }, "internal call refused");
        throw unauthorized(`Internal API: ${verdict.reason}.`);
      }
      return await handler({ site, from: verdict.siteId, body, request });
    } catch (error) {
      return errorResponse(error, (e) => site.logger.error({ err: e }, "internal call failed"));
    }
  };
}
