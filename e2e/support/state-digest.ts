// Reads one site's replicated state straight from its SQLite file, read-only, for convergence
// checks (SPEC §4.6, seed 002's "compare every replica's log after a run"). Opening the file
// read-only is safe while the site runs (WAL: a reader never blocks the writer) and after it
// stopped. Nothing here writes: not the database, not the blobs.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";

const logBody = z.looseObject({ kind: z.string(), txId: z.string(), fenced: z.boolean().optional(), decision: z.string().optional(), reason: z.string().optional() });

export type SiteState = {
  siteId: string;
  /** sha256 over events, photos, ballots and decided rounds: equal on all sites once converged. */
  digest: string;
  events: Array<{ id: string; title: string; homeSite: string; montageVersion: number; publishedVersion: number | null }>;
  photos: Array<{ id: string; eventId: string; uploaderId: string; version: number; sha256: string }>;
  ballots: Array<{ eventId: string; version: number; round: number; userId: string; decision: string; site: string }>;
  rounds: Array<{ eventId: string; version: number; round: number; outcome: string | null; reason: string | null }>;
  /** Changes prepared and not decided here (the PreparedChange table). */
  preparedChanges: string[];
  /** Transactions whose `participant.prepared` has no commit or abort after it in the log. */
  inDoubt: string[];
  outboxRows: number;
  /** Decisions logged here as coordinator (fences excluded), by outcome. */
  decided: { commit: number; abort: number; fenced: number };
  /** Why this site's transactions aborted (ids and numbers blanked out), with counts. */
  abortReasons: Map<string, number>;
  /** The participant log: txId → "prepared" | "committed" | "aborted" (the last word). */
  participantFate: Map<string, "prepared" | "committed" | "aborted">;
  /** The coordinator log: txId → its decision (a fence is an abort). */
  coordinatorDecision: Map<string, "commit" | "abort">;
  /** Every decision logged per transaction (more than one would be a protocol bug). */
  coordinatorDecisions: Map<string, string[]>;
  /** Montage built here: "eventId@version" → hash of the full-size image. */
  montages: Map<string, string>;
};

/** Opens `dataDir/site.db` read-only and reads the replicated state of the site. */
export function readSiteState(siteId: string, dataDir: string): SiteState {
  const db = new Database(join(dataDir, "site.db"), { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const read = db.transaction(() => ({
      events: db.prepare(`SELECT id, title, homeSite, creatorId, creatorName, createdAtMs, montageVersion, publishedVersion, publishedAtMs, adminTokenHash, closed FROM "Event" ORDER BY id`).all(),
      photos: db
        .prepare(`SELECT id, eventId, uploaderId, uploaderName, originSite, sha256, displayHash, tileHash, width, height, version, createdAtMs, originalHash, originalType, originalSizeBytes, capturedAtMs FROM "Photo" ORDER BY id`)
        .all(),
      ballots: db.prepare(`SELECT eventId, version, round, userId, userName, decision, site, castAtMs FROM "Ballot" ORDER BY eventId, version, round, userId`).all(),
      // Open rounds and their deadlines are local knowledge (each site's first ballot sets one);
      // what must agree is the outcome of each decided round.
      rounds: db.prepare(`SELECT eventId, version, round, outcome, reason, decidedAtMs FROM "Round" ORDER BY eventId, version, round`).all(),
      prepared: db.prepare(`SELECT txId FROM "PreparedChange" ORDER BY txId`).all(),
      outbox: db.prepare(`SELECT COUNT(*) AS n FROM "Outbox"`).get(),
      log: db.prepare(`SELECT body FROM "TxLog" ORDER BY seq`).all(),
    }));
    const raw = read.deferred();
    const text = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
    const digest = createHash("sha256")
      .update(text({ events: raw.events, photos: raw.photos, ballots: raw.ballots, rounds: (raw.rounds as Array<{ outcome: unknown }>).filter((r) => r.outcome !== null) }))
      .digest("hex");
    const participantFate = new Map<string, "prepared" | "committed" | "aborted">();
    const decided = { commit: 0, abort: 0, fenced: 0 };
    const coordinatorDecision = new Map<string, "commit" | "abort">();
    const coordinatorDecisions = new Map<string, string[]>();
    const abortReasons = new Map<string, number>();
    for (const row of raw.log as Array<{ body: string }>) {
      const record = logBody.parse(JSON.parse(row.body));
      if (record.kind === "participant.prepared") participantFate.set(record.txId, "prepared");
      else if (record.kind === "participant.committed") participantFate.set(record.txId, "committed");
      else if (record.kind === "participant.aborted") participantFate.set(record.txId, "aborted");
      else if (record.kind === "coordinator.decided") {
        const decision = record.decision === "commit" ? "commit" : "abort";
        coordinatorDecision.set(record.txId, decision);
        coordinatorDecisions.set(record.txId, [...(coordinatorDecisions.get(record.txId) ?? []), record.fenced ? "abort (fenced)" : decision]);
        if (!record.fenced && decision === "abort") {
          const reason = (record.reason ?? "").replace(/\b(ev|ph|u)_[a-z0-9]+/g, "…").replace(/\d+/g, "N").slice(0, 80);
          abortReasons.set(reason, (abortReasons.get(reason) ?? 0) + 1);
        }
        if (record.fenced) decided.fenced += 1;
        else if (record.decision === "commit") decided.commit += 1;
        else decided.abort += 1;
      }
    }
    const num = (v: unknown) => Number(v);
    return {
      siteId,
      digest,
      events: (raw.events as Array<Record<string, unknown>>).map((e) => ({
        id: String(e.id),
        title: String(e.title),
        homeSite: String(e.homeSite),
        montageVersion: num(e.montageVersion),
        publishedVersion: e.publishedVersion === null ? null : num(e.publishedVersion),
      })),
      photos: (raw.photos as Array<Record<string, unknown>>).map((p) => ({
        id: String(p.id),
        eventId: String(p.eventId),
        uploaderId: String(p.uploaderId),
        version: num(p.version),
        sha256: String(p.sha256),
      })),
      ballots: (raw.ballots as Array<Record<string, unknown>>).map((b) => ({
        eventId: String(b.eventId),
        version: num(b.version),
        round: num(b.round),
        userId: String(b.userId),
        decision: String(b.decision),
        site: String(b.site),
      })),
      rounds: (raw.rounds as Array<Record<string, unknown>>).map((r) => ({
        eventId: String(r.eventId),
        version: num(r.version),
        round: num(r.round),
        outcome: r.outcome === null ? null : String(r.outcome),
        reason: r.reason === null ? null : String(r.reason),
      })),
      preparedChanges: (raw.prepared as Array<{ txId: string }>).map((r) => r.txId),
      inDoubt: [...participantFate].filter(([, fate]) => fate === "prepared").map(([txId]) => txId),
      outboxRows: num((raw.outbox as { n: unknown }).n),
      decided,
      abortReasons,
      participantFate,
      coordinatorDecision,
      coordinatorDecisions,
      montages: readMontages(dataDir),
    };
  } finally {
    db.close();
  }
}

/** The log records of one transaction at a site, oldest first (kind and body). */
export function readTxLog(dataDir: string, txId: string): Array<{ kind: string; body: Record<string, unknown> }> {
  const db = new Database(join(dataDir, "site.db"), { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const rows = db.prepare(`SELECT kind, body FROM "TxLog" WHERE txId = ? ORDER BY seq`).all(txId) as Array<{ kind: string; body: string }>;
    return rows.map((r) => ({ kind: r.kind, body: z.record(z.string(), z.unknown()).parse(JSON.parse(r.body)) }));
  } finally {
    db.close();
  }
}

/** Every `participant.prepared` record at a site: txId, coordinator and the change it holds. */
export function readPrepared(dataDir: string): Array<{ txId: string; coordinator: string; kind: string; data: Record<string, unknown> }> {
  const db = new Database(join(dataDir, "site.db"), { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const rows = db.prepare(`SELECT body FROM "TxLog" WHERE kind = 'participant.prepared' ORDER BY seq`).all() as Array<{ body: string }>;
    const record = z.object({
      txId: z.string(),
      coordinator: z.string(),
      change: z.object({ kind: z.string(), data: z.record(z.string(), z.unknown()) }),
    });
    return rows.map((r) => {
      const parsed = record.parse(JSON.parse(r.body));
      return { txId: parsed.txId, coordinator: parsed.coordinator, kind: parsed.change.kind, data: parsed.change.data };
    });
  } finally {
    db.close();
  }
}

// The montage pointers (lib/product/montages.ts): `<event>.v<N>.preview.json` holds the page
// image alone; `<event>.v<N>.json` both sizes once the download is built. Keyed by
// `<event>@<N>:<size>`, so every size a site has built is compared with the other sites'.
const montagePointer = z.object({ full: z.string().optional(), preview: z.string() });

function readMontages(dataDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const folder = join(dataDir, "montages");
  if (!existsSync(folder)) return out;
  for (const name of readdirSync(folder)) {
    const match = /^(.+)\.v(\d+)(\.preview)?\.json$/.exec(name);
    if (!match) continue;
    try {
      const pointer = montagePointer.parse(JSON.parse(readFileSync(join(folder, name), "utf8")));
      out.set(`${match[1]}@${match[2]}:preview`, pointer.preview);
      if (pointer.full !== undefined) out.set(`${match[1]}@${match[2]}:full`, pointer.full);
    } catch {
      // a pointer being written right now: skip it
    }
  }
  return out;
}
