import type { Metadata } from "next";
import { AdminLinkPage } from "@/app/components/admin-link-page";

export const dynamic = "force-dynamic";
// The admin link is a secret: never indexed, and its page is not worth a preview.
export const metadata: Metadata = { title: "Admin link", robots: { index: false, follow: false } };

export default async function Page({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  return <AdminLinkPage eventId={eventId} />;
}
