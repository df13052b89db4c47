import "server-only";
import { AppError, forbidden } from "@/lib/errors";
import { errorResponse } from "@/lib/http/error-response";
import { isAllowedOrigin } from "@/lib/http/origin";
import { siteContext } from "./context";
import { appErrorOf } from "@/lib/http/site-error";

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response> | Response;

/**
 * Wraps a public route handler: a state-changing request from a browser on any origin but the
 * site's configured public ones is refused (403); an error the engine or the database raises is
 * the AppError it means (503 with Retry-After: lib/http/site-error.ts); every error becomes a
 * JSON error with its code's status, and nothing unexpected leaks.
 */
export function publicRoute<P = Record<string, string>>(handler: Handler<P>): Handler<P> {
  return async (request, context) => {
    try {
      if (request.method !== "GET" && request.method !== "HEAD" && !isAllowedOrigin(request.headers.get("origin"), siteContext().config.publicOrigins)) {
        throw forbidden("Requests from another origin are refused.");
      }
      return await handler(request, context);
    } catch (caught) {
      const error = appErrorOf(caught);
      const logger = siteContext().logger;
      const path = new URL(request.url).pathname;
      if (error instanceof AppError && error.code === "client_disconnected") logger.info({ path, method: request.method }, "client disconnected before its request body was read");
      else if (error instanceof AppError && error !== caught) logger.warn({ path, code: error.code, cause: caught instanceof Error ? caught.message : String(caught) }, "request refused: the site cannot take it now");
      return errorResponse(error, (e) => logger.error({ err: e, path }, "request failed"));
    }
  };
}
