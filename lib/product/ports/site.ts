import type Database from "better-sqlite3";
import type { SiteConfig } from "@/lib/config/load-config";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/site/logger";
import type { BlobStore } from "@/lib/store/blob-store";
import type { SqliteTx } from "@/lib/store/sqlite-store";
import type { BeginOptions } from "@/lib/twopc/node";
import type { DecisionEvent } from "@/lib/twopc/step-batch";
import type { LogRecord } from "@/lib/twopc/log-records";
import type { Outcome } from "@/lib/twopc/outcome";
import type { Change, Json, SiteId, TxId } from "@/lib/twopc/types";
import type { LiveBus } from "../live";
import type { Montages } from "../montages";
import type { PendingCreates } from "../pending-creates";

/**
 * What the product needs of the 2PC engine (lib/twopc's node over the site's SQLite store):
 * the composition root (lib/server/boot.ts) provides it; the product never imports the engine.
 */
export type ProductEngine = {
  /** Starts a transaction coordinated here; its id. */
  begin(change: Change, options?: BeginOptions): TxId;
  outcome(txId: TxId): Outcome;
  waitForOutcome(txId: TxId, timeoutMs: number): Promise<Outcome>;
  onDecision(listener: (event: DecisionEvent) => void): () => void;
  /** Whether this site coordinates `txId` right now (not yet decided). */
  isCoordinating(txId: TxId): boolean;
  /** This site's protocol log for one transaction. */
  logFor(txId: TxId): readonly LogRecord[];
  /** One durable SQLite transaction run as an engine step (domain writes and APP messages together; the messages leave once it is durable). */
  transact<T>(fn: (tx: SqliteTx) => T): T;
  /** An application message to `to`, at least once, in the same transaction as `tx`'s writes. */
  sendApp(tx: SqliteTx, to: SiteId, key: string, payload: Json): void;
  /** Hands blobs to every reachable peer now, in parallel (best effort, bounded), before a PREPARE that names them. */
  pushBlobs(hashes: readonly string[]): Promise<void>;
};

/** The parts of one site the product's commands and queries use. */
export type ProductSite = {
  config: Pick<SiteConfig, "siteId" | "sites" | "peers" | "limits" | "ballotWindowMs" | "decideWaitMs" | "publicUrl" | "sessionPassword" | "sessionTtlMs" | "secureCookies" | "testClockOffsetMs">;
  logger: Logger;
  /** The synchronous durable writer, for the product's repository reads. */
  db: Database.Database;
  /** Typed reads for pages and the public API. */
  prisma: PrismaClient;
  blobs: BlobStore;
  montages: Montages;
  live: LiveBus;
  /** Asks the round decider to look at an event (a ballot landed here). */
  considerRound(eventId: string): void;
  pendingCreates: PendingCreates;
};
