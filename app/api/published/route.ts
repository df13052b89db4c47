import { listPublished } from "@/lib/product/queries/list-published";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => Response.json({ published: await listPublished(siteContext()) }, { headers: { "cache-control": "no-store" } }));
