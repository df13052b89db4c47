import { notFound } from "@/lib/errors";
import { eventIdFormat } from "@/lib/product/ids";
import { openEventStream } from "@/lib/product/event-stream";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** Server-sent events: `changed` whenever something about the event changed at this site. */
export const GET = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  return openEventStream(siteContext().live, eventId, request.signal);
});
