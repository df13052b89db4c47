import { publicRoute } from "@/lib/http/public-route";
import { getSite } from "@/lib/site/site";
import { listPublished } from "@/lib/product/queries/list-published";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => Response.json({ published: await listPublished(getSite()) }, { headers: { "cache-control": "no-store" } }));
