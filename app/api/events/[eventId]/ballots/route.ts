import { publicRoute } from "@/lib/http/public-route";
import { answerResponse } from "@/lib/http/answer";
import { readJson } from "@/lib/http/read-body";
import { notFound } from "@/lib/errors";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { currentUser } from "@/lib/product/session";
import { eventIdFormat } from "@/lib/product/ids";
import { castBallot } from "@/lib/product/commands/cast-ballot";

export const POST = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  const body = await readJson(request, 4_096);
  return answerResponse(castBallot({ site: getSite(), engine: getEngine(), user: await currentUser(), eventId, body }));
});
