import { publicRoute } from "@/lib/server/public-route";
import { fileResponse } from "@/lib/http/file-response";
import { siteContext } from "@/lib/server/context";
import { currentUser } from "@/lib/product/session";
import { getOriginalFile } from "@/lib/product/queries/get-downloads";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ eventId: string; photoId: string }>(async (request, { params }) => {
  const { eventId, photoId } = await params;
  return fileResponse(request, await getOriginalFile({ site: siteContext(), eventId, photoId, viewer: await currentUser(siteContext()) }));
});
