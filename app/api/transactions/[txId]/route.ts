import { publicRoute } from "@/lib/http/public-route";
import { getSite } from "@/lib/site/site";
import { getEngine } from "@/lib/engine/engine";
import { getTransaction } from "@/lib/product/queries/get-transaction";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ txId: string }>(async (_request, { params }) => {
  const { txId } = await params;
  return Response.json(getTransaction({ site: getSite(), engine: getEngine(), txId }), { headers: { "cache-control": "no-store" } });
});
