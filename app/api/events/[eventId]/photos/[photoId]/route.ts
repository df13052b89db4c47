import { answerResponse } from "@/lib/http/answer";
import { notFound, unauthorized } from "@/lib/errors";
import { currentUser } from "@/lib/product/session";
import { eventIdFormat, photoIdFormat } from "@/lib/product/ids";
import { removePhoto } from "@/lib/product/commands/remove-photo";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";
import { refreshPending } from "@/lib/server/pending-answer";

export const DELETE = publicRoute<{ eventId: string; photoId: string }>(async (request, { params }) => {
  const { eventId, photoId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  if (!photoIdFormat.test(photoId)) throw notFound("There is no such photo.");
  const site = siteContext();
  const user = await currentUser(site);
  if (!user) throw unauthorized("Join the event with your name before removing photos.");
  const answer = await site.idempotency.runCommand(
    { header: request.headers.get("idempotency-key"), scope: `${user.userId}:remove-photo:${eventId}:${photoId}`, refresh: refreshPending(site, "done") },
    (remember) => removePhoto({ site, engine: site.engine, user, eventId, photoId, remember }),
  );
  return answerResponse(answer);
});
