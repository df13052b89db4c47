import { publicRoute } from "@/lib/server/public-route";
import { fileResponse } from "@/lib/http/file-response";
import { siteContext } from "@/lib/server/context";
import { currentUser } from "@/lib/product/session";
import { getArchiveFile } from "@/lib/product/queries/get-downloads";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  return fileResponse(request, await getArchiveFile({ site: siteContext(), eventId, viewer: await currentUser(siteContext()) }));
});
