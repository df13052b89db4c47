import type { IncomingMessage } from "node:http";
import { AppError, badRequest, tooLarge } from "@/lib/errors";

/**
 * Reads a request body into memory — a web `Request` (route handlers) or a `node:http` one (the
 * internal API) — refusing (413) as soon as it is declared or grows larger than `maxBytes`.
 * A refused web body is cancelled; a node one is left unread (paused), so the caller can still
 * answer 413 on its socket and close the connection. A body whose stream fails went with its
 * connection (the client left, or the server's slow-client floor ended it): `client_disconnected`,
 * which nobody is there to read (logged as info).
 */
export async function readBody(request: Request | IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const web = request instanceof Request;
  const declared = Number((web ? request.headers.get("content-length") : request.headers["content-length"]) ?? "0");
  const refusal = () => tooLarge(`The request body is larger than ${maxBytes} bytes.`);
  if (declared > maxBytes) throw refusal();
  const reader = web ? request.body?.getReader() : undefined;
  const chunks = web ? undefined : request[Symbol.asyncIterator]();
  const read = async (): Promise<Uint8Array | undefined> => {
    if (reader) return (await reader.read()).value;
    const step = chunks ? await chunks.next() : { done: true as const };
    return step.done ? undefined : (step.value as Buffer);
  };
  const next = () =>
    read().catch((error: unknown) => {
      throw new AppError("client_disconnected", "The client went away before its request body arrived.", { cause: error });
    });
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let chunk = await next(); chunk !== undefined; chunk = await next()) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await reader?.cancel();
      throw refusal();
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts, total);
}

/** Reads and parses a JSON body of at most `maxBytes`; malformed JSON is a 400. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const bytes = await readBody(request, maxBytes);
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
  } catch {
    throw badRequest("The request body is not valid JSON.");
  }
}
