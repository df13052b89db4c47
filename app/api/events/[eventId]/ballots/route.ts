import { resultResponse } from "@/lib/http/answer";
import { readJson } from "@/lib/http/read-body";
import { notFound, unauthorized } from "@/lib/errors";
import { currentUser } from "@/lib/product/session";
import { eventIdFormat } from "@/lib/product/ids";
import { castBallot } from "@/lib/product/commands/cast-ballot";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";

export const POST = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  const site = siteContext();
  const user = await currentUser(site);
  if (!user) throw unauthorized("Join the event with your name before voting.");
  const body = await readJson(request, 4_096);
  return resultResponse(castBallot({ site, engine: site.engine, user, eventId, body }));
});
