import { imageResponse } from "@/lib/http/image-response";
import { currentUser } from "@/lib/product/session";
import { getMontageImage } from "@/lib/product/queries/get-image";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  const query = new URL(request.url).searchParams;
  const site = siteContext();
  const file = await getMontageImage({ site, eventId, version: query.get("v"), size: query.get("size"), viewer: await currentUser(site) });
  return imageResponse(file, { download: query.get("download") === "1" });
});
