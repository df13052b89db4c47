import type { Metadata } from "next";
import { PublishedPage } from "@/app/components/published-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Published montage" };

export default async function Page({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  return <PublishedPage eventId={eventId} />;
}
