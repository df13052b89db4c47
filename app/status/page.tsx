import type { Metadata } from "next";
import { StatusPage } from "@/app/components/status-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Site status" };

export default function Page() {
  return <StatusPage />;
}
