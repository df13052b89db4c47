import { readJson } from "@/lib/http/read-body";
import { publicRoute } from "@/lib/http/public-route";
import { answerResponse } from "@/lib/http/answer";
import { unauthorized } from "@/lib/errors";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { currentUser } from "@/lib/product/session";
import { createEvent } from "@/lib/product/commands/create-event";
import { idempotency, refreshPending } from "@/lib/product/request-context";

export const POST = publicRoute(async (request) => {
  const user = await currentUser();
  if (!user) throw unauthorized("Tell us your name first (POST /api/session).");
  const body = await readJson(request, 4_096);
  const site = getSite();
  const engine = getEngine();
  const answer = await idempotency().run(
    { header: request.headers.get("idempotency-key"), scope: `${user.userId}:create-event`, refresh: refreshPending },
    (remember) => createEvent({ site, engine, user, body, remember }),
  );
  return answerResponse(answer);
});
