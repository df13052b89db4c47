import { getTransaction } from "@/lib/product/queries/get-transaction";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = publicRoute<{ txId: string }>(async (_request, { params }) => {
  const { txId } = await params;
  const site = siteContext();
  return Response.json(getTransaction({ site, engine: site.engine, txId }), { headers: { "cache-control": "no-store" } });
});
