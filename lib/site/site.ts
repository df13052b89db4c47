import "server-only";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { loadConfig, type SiteConfig } from "@/lib/config/load-config";
import { openDatabase } from "@/lib/db/open-database";
import { migrate } from "@/lib/db/migrate";
import { NonceCache } from "@/lib/internal/signature";
import { createLogger, RecentLog, type Logger } from "./logger";
import { createMetrics, type Metrics } from "./metrics";
import { Heartbeat } from "./heartbeat";

/** Everything one site process holds: created once, shared by every route and background loop. */
export type Site = {
  config: SiteConfig;
  logger: Logger;
  recentLog: RecentLog;
  metrics: Metrics;
  /** The synchronous, durable writer (WAL, synchronous=FULL): protocol log and domain writes. */
  db: Database.Database;
  /** Typed reads for pages and the public API. */
  prisma: PrismaClient;
  heartbeat: Heartbeat;
  nonces: NonceCache;
  paths: { data: string; database: string; blobs: string };
  startedAtMs: number;
  /** Set by the 2PC engine once it runs: backlog per peer and in-doubt transactions. */
  engineStatus?: () => EngineStatus;
};

export type EngineStatus = {
  backlog: Map<string, number>;
  inDoubt: Array<{ txId: string; coordinator: string; preparedAtMs: number }>;
  /** Poison messages kept by the engine, most recently seen first (see docs/PROTOCOL.md). */
  quarantined: Array<{ from: string; msgId: string; txId: string; type: string; error: string; hits: number; firstAtMs: number; lastAtMs: number }>;
};

// Next.js bundles route handlers and instrumentation separately; globalThis is what they share.
const holder = globalThis as typeof globalThis & { __groupshotSite?: Site };

/** The site of this process, started on first use (instrumentation.ts starts it at boot). */
export function getSite(): Site {
  holder.__groupshotSite ??= startSite();
  return holder.__groupshotSite;
}

function startSite(): Site {
  const config = loadConfig();
  const recentLog = new RecentLog();
  const logger = createLogger({ siteId: config.siteId, level: config.logLevel, recent: recentLog });
  const paths = {
    data: config.dataDir,
    database: join(config.dataDir, "site.db"),
    blobs: join(config.dataDir, "blobs"),
  };
  mkdirSync(paths.blobs, { recursive: true });
  const db = openDatabase(paths.database);
  const applied = migrate(db);
  if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${paths.database}` }) });
  const metrics = createMetrics(config.siteId);
  const heartbeat = new Heartbeat({
    peers: config.peers,
    intervalMs: config.heartbeatMs,
    timeoutMs: config.callTimeoutMs,
    client: { siteId: config.siteId, secret: config.siteSecret },
    logger,
    metrics,
  });
  heartbeat.start();
  const nonces = new NonceCache({ ttlMs: config.signatureMaxAgeMs * 2, maxEntries: 200_000 });
  logger.info({ port: config.port, peers: config.peers.map((p) => p.siteId), dataDir: config.dataDir }, "site started");
  return { config, logger, recentLog, metrics, db, prisma, heartbeat, nonces, paths, startedAtMs: Date.now() };
}
