import type { Metadata } from "next";
import { EventPage } from "@/app/components/event-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Event" };

export default async function Page({ params, searchParams }: { params: Promise<{ eventId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ eventId }, query] = await Promise.all([params, searchParams]);
  // ?tx=<txId> comes from the home page when the creation answered "pending".
  const tx = typeof query.tx === "string" && query.tx.length > 0 && query.tx.length <= 200 ? query.tx : null;
  return <EventPage eventId={eventId} pendingTxId={tx} />;
}
