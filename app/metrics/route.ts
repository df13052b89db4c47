import { siteContext } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export async function GET() {
  const site = siteContext();
  site.health(); // refreshes the backlog and in-doubt gauges
  return new Response(await site.metrics.registry.metrics(), {
    headers: { "content-type": site.metrics.registry.contentType, "cache-control": "no-store" },
  });
}
