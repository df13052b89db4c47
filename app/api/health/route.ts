import { siteContext } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(siteContext().health(), { headers: { "cache-control": "no-store" } });
}
