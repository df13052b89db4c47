import { publicRoute } from "@/lib/http/public-route";
import { answerResponse } from "@/lib/http/answer";
import { notFound, unauthorized } from "@/lib/errors";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { currentUser } from "@/lib/product/session";
import { eventIdFormat } from "@/lib/product/ids";
import { setEventClosed } from "@/lib/product/commands/set-event-closed";
import { idempotency, refreshPendingAs } from "@/lib/product/request-context";

/** Closes the event to new contributors (the creator, or whoever opened its admin link). */
export const POST = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  const user = await currentUser();
  if (!user) throw unauthorized("Join with your name first (POST /api/session).");
  const answer = await idempotency().run(
    { header: request.headers.get("idempotency-key"), scope: `${user.userId}:close:${eventId}`, refresh: refreshPendingAs(200) },
    (remember) => setEventClosed({ site: getSite(), engine: getEngine(), user, eventId, closed: true, remember }),
  );
  return answerResponse(answer);
});
