import { readJson } from "@/lib/http/read-body";
import { resultResponse } from "@/lib/http/answer";
import { notFound, unauthorized } from "@/lib/errors";
import { currentUser, grantCreatorRights } from "@/lib/product/session";
import { eventIdFormat } from "@/lib/product/ids";
import { claimAdminLink } from "@/lib/product/commands/claim-admin-link";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";

/** The admin link was opened: its token, if right, gives this session the creator's rights. */
export const POST = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  if (!eventIdFormat.test(eventId)) throw notFound("There is no such event.");
  const site = siteContext();
  const user = await currentUser(site);
  if (!user) throw unauthorized("Tell us your name first (POST /api/session): the creator's rights are kept in your session.");
  const body = await readJson(request, 4_096);
  return resultResponse(await claimAdminLink({ site, user, eventId, body, grant: (id) => grantCreatorRights(site, user, id) }));
});
