import { answerResponse } from "@/lib/http/answer";
import { readBody } from "@/lib/http/read-body";
import { AppError, badRequest, notFound, unauthorized } from "@/lib/errors";
import { multipartFile } from "@/lib/http/multipart-file";
import { currentUser } from "@/lib/product/session";
import { eventIdFormat } from "@/lib/product/ids";
import { addPhoto } from "@/lib/product/commands/add-photo";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";
import { refreshPending } from "@/lib/server/pending-answer";

/** Room for the multipart envelope around the largest photo. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** What a refused upload is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 2;

export const POST = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  const site = siteContext();
  const user = await currentUser(site);
  if (!user) throw unauthorized("Join the event with your name before adding photos.");
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) throw badRequest('Send the photo as multipart/form-data with the field "photo".');
  // A place in the site's upload queue before the body is read: past its capacity the upload is
  // refused at once, rather than held in memory behind the others.
  const place = site.decodeQueue.enter();
  if (!place) {
    throw new AppError("uploads_busy", `This site is processing as many photos as it takes at once; nothing was stored. Try again in ${RETRY_AFTER_SECONDS} seconds.`, {
      details: { retryAfterSeconds: RETRY_AFTER_SECONDS },
    });
  }
  try {
    const body = await readBody(request, site.config.limits.maxPhotoBytes + MULTIPART_OVERHEAD_BYTES);
    const photo = multipartFile(body, contentType, "photo");
    const answer = await site.idempotency.runCommand(
      { header: request.headers.get("idempotency-key"), scope: `${user.userId}:add-photo:${eventId}`, refresh: refreshPending(site, "created") },
      (remember) => addPhoto({ site, engine: site.engine, user, eventId, photo, decodeSlot: (work) => place.run(work), remember }),
    );
    return answerResponse(answer);
  } finally {
    place.leave();
  }
});

