import "server-only";
import { adminLinkRequest, type AdminLinkAnswer } from "@/lib/api/contract";
import { AppError, refused, unprocessable } from "@/lib/errors";
import type { CommandResult } from "@/lib/http/answer";
import type { ProductSite } from "../ports/site";
import { adminTokenMatches } from "../admin-link";
import { repoOf } from "../repo";
import type { User } from "../session";

/**
 * Someone opened the event's admin link: if its token is the event's (checked against the
 * replicated hash, in constant time), `grant` records the creator's rights in their session.
 * A wrong, altered or guessed token is refused and changes nothing.
 */
export async function claimAdminLink(options: {
  site: ProductSite;
  user: User;
  eventId: string;
  body: unknown;
  grant: (eventId: string) => Promise<User>;
}): Promise<CommandResult<AdminLinkAnswer>> {
  const { site, eventId } = options;
  const parsed = adminLinkRequest.safeParse(options.body);
  if (!parsed.success) throw unprocessable('Send { "token": string }, the part of the admin link after "#".', { fields: parsed.error.flatten().fieldErrors });
  const event = repoOf(site.db).event(eventId);
  if (!event) throw refused({ code: "unknown_event", message: "This event does not exist here." });
  if (!adminTokenMatches(parsed.data.token, event.adminTokenHash)) {
    site.logger.warn({ eventId }, "admin link refused: wrong token");
    throw new AppError("admin_token_refused", "This admin link is not valid for this event. Check that the whole link was copied.");
  }
  await options.grant(eventId);
  return { effect: "done", answer: { eventId, hasCreatorRights: true } };
}
