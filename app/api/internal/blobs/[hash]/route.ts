import { internalRoute } from "@/lib/internal/internal-route";
import { badRequest } from "@/lib/http/app-error";
import { blobHash } from "@/lib/engine/blob-store";
import { getEngine } from "@/lib/engine/engine";

/** A peer hands over a photo's bytes before the PREPARE that refers to them. */
export const PUT = internalRoute({ maxBodyBytes: 64 * 1024 * 1024 }, ({ request, body }) => {
  const hash = new URL(request.url).pathname.split("/").pop() ?? "";
  if (!blobHash.test(hash)) throw badRequest("Not a sha256 blob name.");
  try {
    getEngine().blobs.write(body, hash);
  } catch {
    throw badRequest("The bytes do not match their sha256.");
  }
  return Response.json({ stored: true });
});
