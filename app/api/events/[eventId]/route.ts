import { notFound } from "@/lib/errors";
import { currentUser } from "@/lib/product/session";
import { eventIdFormat } from "@/lib/product/ids";
import { getEventView } from "@/lib/product/queries/get-event-view";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ eventId: string }>(async (_request, { params }) => {
  const { eventId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  const site = siteContext();
  const view = await getEventView({ site, engine: site.engine, eventId, viewer: await currentUser(site) });
  return Response.json(view, { headers: { "cache-control": "no-store" } });
});
