import { siteContext } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ lines: siteContext().recentLog.recent() }, { headers: { "cache-control": "no-store" } });
}
