import { publicRoute } from "@/lib/http/public-route";
import { answerResponse } from "@/lib/http/answer";
import { readBody } from "@/lib/http/read-body";
import { badRequest, notFound, unauthorized } from "@/lib/http/app-error";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { currentUser } from "@/lib/product/session";
import { eventIdFormat } from "@/lib/product/ids";
import { addPhoto } from "@/lib/product/commands/add-photo";
import { idempotency, refreshPending } from "@/lib/product/request-context";

/** Room for the multipart envelope around the largest photo. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export const POST = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  const user = await currentUser();
  if (!user) throw unauthorized("Join the event with your name before adding photos.");
  const site = getSite();
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) throw badRequest('Send the photo as multipart/form-data with the field "photo".');
  const bytes = await readBody(request, site.config.limits.maxPhotoBytes + MULTIPART_OVERHEAD_BYTES);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(bytes), { headers: { "content-type": contentType } }).formData();
  } catch {
    throw badRequest("The multipart body could not be read.");
  }
  const answer = await idempotency().run(
    { header: request.headers.get("idempotency-key"), scope: `${user.userId}:add-photo:${eventId}`, refresh: refreshPending },
    (remember) => addPhoto({ site, engine: getEngine(), user, eventId, form, remember }),
  );
  return answerResponse(answer);
});
