import { publicRoute } from "@/lib/http/public-route";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { currentUser } from "@/lib/product/session";
import { getPhotoImage, imageResponse } from "@/lib/product/queries/get-image";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ photoId: string; variant: string }>(async (_request, { params }) => {
  const { photoId, variant } = await params;
  return imageResponse(await getPhotoImage({ site: getSite(), engine: getEngine(), photoId, variant, viewer: await currentUser() }));
});
