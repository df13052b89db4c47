import type { Metadata } from "next";
import { WallPage } from "@/app/components/wall-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Live wall", robots: { index: false } };

export default async function Page({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  return <WallPage eventId={eventId} />;
}
