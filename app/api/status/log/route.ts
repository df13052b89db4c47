import { getSite } from "@/lib/site/site";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ lines: getSite().recentLog.recent() }, { headers: { "cache-control": "no-store" } });
}
