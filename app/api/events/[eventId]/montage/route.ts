import { publicRoute } from "@/lib/http/public-route";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { currentUser } from "@/lib/product/session";
import { getMontageImage, imageResponse } from "@/lib/product/queries/get-image";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ eventId: string }>(async (request, { params }) => {
  const { eventId } = await params;
  const query = new URL(request.url).searchParams;
  const file = await getMontageImage({ site: getSite(), engine: getEngine(), eventId, version: query.get("v"), size: query.get("size"), viewer: await currentUser() });
  return imageResponse(file, { download: query.get("download") === "1" });
});
