// Vocabulary shared by the protocol core, the runtime and the wire schemas.
// The protocol speaks of prepare / yes / no / decision; product words (ballot, round) never appear here.

export type SiteId = string;
export type TxId = string;

/** Plain JSON, the only kind of domain data the engine carries (it never interprets it). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What a transaction asks every participant to do. `key` is the conflict key (e.g. an event id). */
export interface Change {
  key: string;
  kind: string;
  data: Json;
}

export type Decision = "commit" | "abort";
export type VoteValue = "yes" | "no";

/** A participant's vote as the coordinator received it. */
export interface Vote {
  vote: VoteValue;
  reason?: string | undefined;
  info?: Json | undefined;
}

/** The domain's answer to "could you do this change?", computed from committed state before the core runs. */
export type Verdict = { vote: "yes"; info?: Json | undefined } | { vote: "no"; reason: string };

/** The domain's pure verdict at the coordinator once every participant voted yes. */
export type Resolution = { decision: "commit"; result?: Json | undefined } | { decision: "abort"; reason: string };
