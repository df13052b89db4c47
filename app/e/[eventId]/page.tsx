import type { Metadata } from "next";
import { EventPage } from "@/app/components/event-page";
import { previewMetadata } from "@/app/preview-metadata";
import { siteContext } from "@/lib/server/context";
import { getLinkPreview } from "@/lib/product/queries/get-link-preview";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ eventId: string }> };

/** The share link's preview in chat apps (OpenGraph, Twitter card). */
export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { eventId } = await params;
  return previewMetadata(await getLinkPreview({ site: siteContext(), eventId, page: "event" }), "Event");
}

export default async function Page({ params, searchParams }: Params & { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ eventId }, query] = await Promise.all([params, searchParams]);
  // ?tx=<txId> comes from the home page when the creation answered "pending".
  const tx = typeof query.tx === "string" && query.tx.length > 0 && query.tx.length <= 200 ? query.tx : null;
  return <EventPage eventId={eventId} pendingTxId={tx} />;
}
