import { publicRoute } from "@/lib/http/public-route";
import { fileResponse } from "@/lib/http/file-response";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { currentUser } from "@/lib/product/session";
import { getOriginalFile } from "@/lib/product/queries/get-downloads";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ eventId: string; photoId: string }>(async (request, { params }) => {
  const { eventId, photoId } = await params;
  return fileResponse(request, await getOriginalFile({ site: getSite(), engine: getEngine(), eventId, photoId, viewer: await currentUser() }));
});
