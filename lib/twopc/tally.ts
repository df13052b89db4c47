import type { SiteId, VoteValue } from "./types";

export type Tally = "pending" | "commit" | "abort";

/** Any NO aborts at once; commit needs a YES from every participant; anything missing is pending, never a yes. */
export function tally(participants: readonly SiteId[], votes: ReadonlyMap<SiteId, VoteValue>): Tally {
  let missing = false;
  for (const site of participants) {
    const vote = votes.get(site);
    if (vote === "no") return "abort";
    if (vote === undefined) missing = true;
  }
  return missing ? "pending" : "commit";
}
