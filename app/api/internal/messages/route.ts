import { internalRoute } from "@/lib/internal/internal-route";
import { badRequest } from "@/lib/http/app-error";
import { parseMessages } from "@/lib/twopc/messages";
import { getEngine } from "@/lib/engine/engine";

/** Protocol messages from a peer: each handled durably before its reply is returned. */
export const POST = internalRoute({ maxBodyBytes: 4 * 1024 * 1024 }, ({ body, from, site }) => {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw badRequest("The body is not JSON.");
  }
  const parsed = parseMessages(json);
  if (!parsed.ok) throw badRequest(`Not a batch of protocol messages: ${parsed.error}`);
  site.heartbeat.observe(from, true);
  return Response.json(getEngine().node.handle(from, parsed.messages));
});
