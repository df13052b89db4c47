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

/**
 * Why a participant voted no or a transaction aborted: a closed `code` a program may act on (the
 * engine's own, below, or the domain's, which the engine carries without interpreting) and a
 * `reason` for people and logs. Nothing ever parses the reason.
 */
export const ENGINE_CODES = [
  /** Another transaction holds the key prepared here (NO instead of waiting: no deadlock). */
  "busy",
  /** The PREPARE did not name this site. */
  "not_participant",
  /** This site had already aborted the transaction (e.g. an ABORT overtook its PREPARE). */
  "already_aborted",
  /** Some participant did not vote before the prepare timeout (a silent site never counts as yes). */
  "no_vote_in_time",
  /** The coordinator has no decision for it (it restarted before deciding, or was asked first). */
  "presumed_abort",
  /** The domain's check threw instead of answering. */
  "check_failed",
  /** A participant voted no without a code (an older peer). */
  "refused",
  /** Handling the PREPARE threw at that participant: it was quarantined there and answered NO. */
  "quarantined",
] as const;
export type EngineCode = (typeof ENGINE_CODES)[number];

/** A code: lower snake case, short; the wire schemas hold it to this. */
export const CODE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** A participant's vote as the coordinator received it. */
export interface Vote {
  vote: VoteValue;
  code?: string | undefined;
  reason?: string | undefined;
  info?: Json | undefined;
}

/** The domain's answer to "could you do this change?", computed from committed state before the core runs. */
export type Verdict = { vote: "yes"; info?: Json | undefined } | { vote: "no"; code: string; reason: string };

/** The domain's pure verdict at the coordinator once every participant voted yes. */
export type Resolution = { decision: "commit"; result?: Json | undefined } | { decision: "abort"; code: string; reason: string };
