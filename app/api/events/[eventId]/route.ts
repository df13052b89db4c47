import { publicRoute } from "@/lib/http/public-route";
import { notFound } from "@/lib/errors";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { currentUser } from "@/lib/product/session";
import { eventIdFormat } from "@/lib/product/ids";
import { getEventView } from "@/lib/product/queries/get-event-view";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ eventId: string }>(async (_request, { params }) => {
  const { eventId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  const view = await getEventView({ site: getSite(), engine: getEngine(), eventId, viewer: await currentUser() });
  return Response.json(view, { headers: { "cache-control": "no-store" } });
});
