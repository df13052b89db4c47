import { getSite } from "@/lib/site/site";
import { readHealth } from "@/lib/site/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const site = getSite();
  readHealth(site); // refreshes the backlog and in-doubt gauges
  return new Response(await site.metrics.registry.metrics(), {
    headers: { "content-type": site.metrics.registry.contentType, "cache-control": "no-store" },
  });
}
