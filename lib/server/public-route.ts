import "server-only";
import { errorResponse } from "@/lib/http/error-response";
import { siteContext } from "./context";
import { forbidden } from "@/lib/errors";


type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response> | Response;

/**
 * Wraps a public route handler: state-changing requests from another origin are refused (403),
 * every error becomes a JSON error with a fitting status, and nothing unexpected leaks.
 */
export function publicRoute<P = Record<string, string>>(handler: Handler<P>): Handler<P> {
  return async (request, context) => {
    try {
      if (request.method !== "GET" && request.method !== "HEAD") assertSameOrigin(request);
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error, (e) => siteContext().logger.error({ err: e, path: new URL(request.url).pathname }, "request failed"));
    }
  };
}

function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin === null) return; // not a browser form/fetch (curl, scripts): cookies alone are no CSRF risk there
  const host = request.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw forbidden("Requests from another origin are refused.");
  }
  if (originHost !== host) throw forbidden("Requests from another origin are refused.");
}
