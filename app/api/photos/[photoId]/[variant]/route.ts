import { imageResponse } from "@/lib/http/image-response";
import { currentUser } from "@/lib/product/session";
import { getPhotoImage } from "@/lib/product/queries/get-image";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ photoId: string; variant: string }>(async (_request, { params }) => {
  const { photoId, variant } = await params;
  const site = siteContext();
  return imageResponse(await getPhotoImage({ site, photoId, variant, viewer: await currentUser(site) }));
});
