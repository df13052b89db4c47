import { getSite } from "@/lib/site/site";
import { readHealth } from "@/lib/site/health";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(readHealth(getSite()), { headers: { "cache-control": "no-store" } });
}
