import { resultResponse } from "@/lib/http/answer";
import { readJson } from "@/lib/http/read-body";
import { notFound } from "@/lib/errors";
import { currentUser } from "@/lib/product/session";
import { eventIdFormat } from "@/lib/product/ids";
import { castBallot } from "@/lib/product/commands/cast-ballot";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";

export const POST = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  const body = await readJson(request, 4_096);
  const site = siteContext();
  return resultResponse(castBallot({ site, engine: site.engine, user: await currentUser(site), eventId, body }));
});
