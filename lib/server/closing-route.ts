import "server-only";
import { answerResponse } from "@/lib/http/answer";
import { notFound, unauthorized } from "@/lib/errors";
import { currentUser } from "@/lib/product/session";
import { eventIdFormat } from "@/lib/product/ids";
import { setEventClosed } from "@/lib/product/commands/set-event-closed";
import { siteContext } from "./context";
import { refreshPending } from "./pending-answer";
import { publicRoute } from "./public-route";

/** POST …/close (closed: true) and …/reopen (false): the creator, or whoever opened the event's admin link. */
export function closingRoute(closed: boolean) {
  return publicRoute<{ eventId: string }>(async (request, { params }) => {
    const { eventId } = await params;
    if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
    const site = siteContext();
    const user = await currentUser(site);
    if (!user) throw unauthorized("Join with your name first (POST /api/session).");
    const answer = await site.idempotency.runCommand(
      { header: request.headers.get("idempotency-key"), scope: `${user.userId}:${closed ? "close" : "reopen"}:${eventId}`, refresh: refreshPending(site, "done") },
      (remember) => setEventClosed({ site, engine: site.engine, user, eventId, closed, remember }),
    );
    return answerResponse(answer);
  });
}
