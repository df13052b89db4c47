import { sessionRequest } from "@/lib/api/contract";
import { readJson } from "@/lib/http/read-body";
import { unprocessable } from "@/lib/errors";
import { currentUser, signIn, signOut } from "@/lib/product/session";
import { publicRoute } from "@/lib/server/public-route";
import { siteContext } from "@/lib/server/context";

const noStore = { "cache-control": "no-store" };

export const GET = publicRoute(async () => Response.json({ user: await currentUser(siteContext()) }, { headers: noStore }));

export const POST = publicRoute(async (request) => {
  const parsed = sessionRequest.safeParse(await readJson(request, 4_096));
  if (!parsed.success) throw unprocessable("Please enter a name of 1 to 40 characters.", { fields: parsed.error.flatten().fieldErrors });
  return Response.json(await signIn(siteContext(), parsed.data.name), { headers: noStore });
});

/** Sign out: the cookie is cleared. */
export const DELETE = publicRoute(async () => {
  await signOut(siteContext());
  return Response.json({ user: null }, { headers: noStore });
});
