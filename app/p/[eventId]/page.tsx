import type { Metadata } from "next";
import { PublishedPage } from "@/app/components/published-page";
import { previewMetadata } from "@/app/preview-metadata";
import { siteContext } from "@/lib/server/context";
import { getLinkPreview } from "@/lib/product/queries/get-link-preview";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ eventId: string }> };

/** The public link's preview in chat apps: the published montage as the image. */
export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { eventId } = await params;
  return previewMetadata(await getLinkPreview({ site: siteContext(), eventId, page: "public" }), "Published montage");
}

export default async function Page({ params }: Params) {
  const { eventId } = await params;
  return <PublishedPage eventId={eventId} />;
}
