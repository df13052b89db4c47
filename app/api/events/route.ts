import { readJson } from "@/lib/http/read-body";
import { answerResponse } from "@/lib/http/answer";
import { unauthorized } from "@/lib/errors";
import { currentUser } from "@/lib/product/session";
import { createEvent } from "@/lib/product/commands/create-event";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";
import { refreshPending } from "@/lib/server/pending-answer";

export const POST = publicRoute(async (request) => {
  const site = siteContext();
  const user = await currentUser(site);
  if (!user) throw unauthorized("Tell us your name first (POST /api/session).");
  const body = await readJson(request, 4_096);
  const answer = await site.idempotency.runCommand(
    { header: request.headers.get("idempotency-key"), scope: `${user.userId}:create-event`, refresh: refreshPending(site, "created") },
    (remember) => createEvent({ site, engine: site.engine, user, body, remember }),
  );
  return answerResponse(answer);
});
