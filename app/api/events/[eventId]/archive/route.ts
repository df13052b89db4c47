import { publicRoute } from "@/lib/http/public-route";
import { fileResponse } from "@/lib/http/file-response";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { currentUser } from "@/lib/product/session";
import { getArchiveFile } from "@/lib/product/queries/get-downloads";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  return fileResponse(request, await getArchiveFile({ site: getSite(), engine: getEngine(), eventId, viewer: await currentUser() }));
});
