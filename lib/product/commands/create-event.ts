import "server-only";
import { createEventRequest, type CreateEventAnswer } from "@/lib/api/contract";
import { unprocessable } from "@/lib/errors";
import type { CommandResult } from "@/lib/http/answer";
import type { ProductEngine, ProductSite } from "../ports/site";
import { changeKinds, type CreateEventData } from "../changes";
import { newId } from "../ids";
import { adminUrl, mintAdminToken } from "../admin-link";
import { abortedError, siteAcks, publicState } from "../outcome-view";
import type { User } from "../session";

/** Creates an event with this site as its home: a create-event transaction across all sites. */
export async function createEvent(options: {
  site: ProductSite;
  engine: ProductEngine;
  user: User;
  body: unknown;
  remember?: (pending: CommandResult<CreateEventAnswer>) => void;
}): Promise<CommandResult<CreateEventAnswer>> {
  const parsed = createEventRequest.safeParse(options.body);
  if (!parsed.success) throw unprocessable("The event needs a title of 1 to 80 characters.", { fields: parsed.error.flatten().fieldErrors });
  const { site, engine, user } = options;
  // Only the hash travels and is stored; the token is in this one answer (SPEC §1.14).
  const admin = mintAdminToken();
  const minContributors = parsed.data.minContributors ?? 1;
  const maxContributors = site.config.limits.maxContributors;
  if (minContributors > maxContributors) {
    throw unprocessable(`An event here has at most ${maxContributors} contributors, so it cannot need ${minContributors}.`, {
      fields: { minContributors: [`At most ${maxContributors}.`] },
    });
  }
  const data: CreateEventData = {
    eventId: newId("ev"),
    title: parsed.data.title,
    homeSite: site.config.siteId,
    creatorId: user.userId,
    creatorName: user.name,
    createdAtMs: Date.now(),
    adminTokenHash: admin.hash,
    ...(minContributors === 1 ? {} : { minContributors }),
  };
  const txId = engine.begin({ key: data.eventId, kind: changeKinds.createEvent, data });
  site.pendingCreates.add(txId, data);
  const url = `${site.config.publicUrl}/e/${data.eventId}`;
  const siteIds = site.config.sites.map((s) => s.siteId);
  // Before anything can be decided: a retry after a crash of this site finds this transaction.
  options.remember?.({ effect: "pending", answer: { eventId: data.eventId, txId, status: "pending", homeSite: data.homeSite, url, adminUrl: null, sites: siteAcks(siteIds, null) } });
  const outcome = await engine.waitForOutcome(txId, site.config.decideWaitMs);
  if (outcome.state !== "pending") site.pendingCreates.delete(data.eventId);
  const state = publicState(outcome);
  if (state === "aborted") throw abortedError(outcome, "The event could not be created");
  return {
    effect: state === "committed" ? "created" : "pending",
    answer: { eventId: data.eventId, txId, status: state, homeSite: data.homeSite, url, adminUrl: null, sites: siteAcks(siteIds, outcome) },
    unstored: { adminUrl: adminUrl(site.config.publicUrl, data.eventId, admin.token) },
  };
}
