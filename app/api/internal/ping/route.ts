import { internalRoute } from "@/lib/internal/internal-route";

export const POST = internalRoute({ maxBodyBytes: 1024 }, ({ site, from }) => {
  site.heartbeat.observe(from, true);
  return Response.json({ siteId: site.config.siteId, atMs: Date.now() });
});
