import { publicRoute } from "@/lib/http/public-route";
import { answerResponse } from "@/lib/http/answer";
import { notFound, unauthorized } from "@/lib/errors";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { currentUser } from "@/lib/product/session";
import { eventIdFormat, photoIdFormat } from "@/lib/product/ids";
import { removePhoto } from "@/lib/product/commands/remove-photo";
import { idempotency, refreshPendingAs } from "@/lib/product/request-context";

export const DELETE = publicRoute<{ eventId: string; photoId: string }>(async (request, { params }) => {
  const { eventId, photoId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  if (!photoIdFormat.test(photoId)) throw notFound("There is no such photo.");
  const user = await currentUser();
  if (!user) throw unauthorized("Join the event with your name before removing photos.");
  const answer = await idempotency().run(
    { header: request.headers.get("idempotency-key"), scope: `${user.userId}:remove-photo:${eventId}:${photoId}`, refresh: refreshPendingAs(200) },
    (remember) => removePhoto({ site: getSite(), engine: getEngine(), user, eventId, photoId, remember }),
  );
  return answerResponse(answer);
});
