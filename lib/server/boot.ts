import "server-only";
// The composition root: the one place that assembles a site process from its parts. It is the
// only module that imports the 2PC engine, the stores, the transport, the product and the
// internal API together; everything below it is handed what it needs (ports), and nothing
// below imports upward. lib/server/context.ts keeps the one result for the process.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { SiteConfig } from "@/lib/config/load-config";
import { openDatabase } from "@/lib/db/open-database";
import { migrate } from "@/lib/db/migrate";
import { Idempotency } from "@/lib/http/idempotency";
import { UPLOAD_DECODES_AT_ONCE, UPLOADS_IN_PROGRESS, WorkQueue } from "@/lib/images";
import { Heartbeat } from "@/lib/internal/heartbeat";
import { HttpTransport } from "@/lib/internal/http-transport";
import { internalHandler, type InternalHandler } from "@/lib/internal/serve";
import { NonceStore } from "@/lib/internal/nonce-store";
import { benchCreateEvent } from "@/lib/product/commands/bench-create-event";
import { createDomain } from "@/lib/product/domain";
import { LiveBus } from "@/lib/product/live";
import { Montages } from "@/lib/product/montages";
import { PendingCreates } from "@/lib/product/pending-creates";
import type { ProductEngine, ProductSite } from "@/lib/product/ports/site";
import { repoOf } from "@/lib/product/repo";
import { RoundDecider } from "@/lib/product/round-decider";
import { createLogger, RecentLog, type Logger } from "@/lib/site/logger";
import { createMetrics, type Metrics } from "@/lib/site/metrics";
import { BlobCollector, collectEvery } from "@/lib/store/blob-collector";
import { BlobStore } from "@/lib/store/blob-store";
import { blobReferences } from "@/lib/product/blob-references";
import { SqliteStore, type SqliteTx } from "@/lib/store/sqlite-store";
import { failpointsFromEnv } from "@/lib/twopc/failpoints-process";
import { TwoPcError } from "@/lib/twopc/errors";
import { TwoPcNode } from "@/lib/twopc/node";
import { monotonicClock, offsetClock, systemRandom, systemTimers } from "@/lib/twopc/system-ports";
import { readHealth, type EngineStatus, type Health } from "./health";

/** Everything one site process holds: built once by bootSite, shared by every route and background loop. */
export type SiteContext = ProductSite & {
  config: SiteConfig;
  logger: Logger;
  recentLog: RecentLog;
  metrics: Metrics;
  db: Database.Database;
  heartbeat: Heartbeat;
  paths: { data: string; database: string; blobs: string };
  startedAtMs: number;
  /** The engine as the product sees it (lib/product/ports/site.ts). */
  engine: ProductEngine;
  /** "Idempotency-Key" answers, kept durably for a day. */
  idempotency: Idempotency;
  /** Uploads decoded here at once (1) and inside the site at once (8; the 9th gets a 503 before its body is read). */
  decodeQueue: WorkQueue;
  /** The signed site-to-site API, served by scripts/server.mjs outside Next.js. */
  internal: InternalHandler;
  /** Peers, outbox backlog and in-doubt transactions (status page, /api/health, metrics). */
  health(): Health;
};

/** Accepted internal calls' nonces remembered at most (a full store refuses calls: 429 too_many_calls). */
const MAX_NONCES = 200_000;

/** Builds the site: database and migrations, stores, transport, 2PC node with the product's domain, round decider, loops. */
export function bootSite(config: SiteConfig): SiteContext {
  const recentLog = new RecentLog();
  const logger = createLogger({ siteId: config.siteId, level: config.logLevel, recent: recentLog });
  const paths = { data: config.dataDir, database: join(config.dataDir, "site.db"), blobs: join(config.dataDir, "blobs") };
  mkdirSync(paths.blobs, { recursive: true });
  const db = openDatabase(paths.database);
  const applied = migrate(db);
  if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${paths.database}` }) });
  const metrics = createMetrics(config.siteId, { boundedTables: () => boundedTables.map((t) => ({ table: t.table, rows: t.rows.get() as number, bound: t.bound })) });
  const countRows = (table: string) => db.prepare(`SELECT count(*) FROM "${table}"`).pluck();
  const boundedTables = [
    { table: "Outbox", rows: countRows("Outbox"), bound: config.bounds.maxBacklogPerPeer * config.peers.length },
    { table: "Inbox", rows: countRows("Inbox"), bound: config.bounds.maxReceipts },
    { table: "Quarantine", rows: countRows("Quarantine"), bound: config.bounds.quarantineKeepRows },
    { table: "InternalNonce", rows: countRows("InternalNonce"), bound: MAX_NONCES },
    { table: "IdempotentRequest", rows: countRows("IdempotentRequest"), bound: config.bounds.maxIdempotentAnswers },
  ];
  const client = { siteId: config.siteId, secret: config.siteSecret };
  const heartbeat = new Heartbeat({ peers: config.peers, intervalMs: config.heartbeatMs, timeoutMs: config.callTimeoutMs, client, logger, metrics });
  const blobs = new BlobStore(paths.blobs);
  const montages = new Montages({ db, blobs, root: join(paths.data, "montages") });
  const live = new LiveBus();
  // The site's wall clock: the system's, unless a test sets it off (TEST_CLOCK_OFFSET_MS).
  const clock = offsetClock(config.testClockOffsetMs);
  const store = new SqliteStore(db, () => clock.nowMs());
  // Accepted calls' nonces, durable across restarts; signed calls keep the real clock.
  const nonces = new NonceStore({ db, transactUnforced: (fn) => store.transact(() => fn(), { durable: false }), maxEntries: MAX_NONCES });

  // The home's round decider drives the engine built below (its calls come after start()).
  const rounds = new RoundDecider({
    siteId: config.siteId,
    store: () => repoOf(db),
    engine: { begin: (change) => engine.begin(change), waitForOutcome: (txId, timeoutMs) => engine.waitForOutcome(txId, timeoutMs) },
    clock,
    monotonic: monotonicClock,
    ballotWindowMs: config.ballotWindowMs,
    timers: systemTimers,
    random: systemRandom,
    log: logger,
  });
  const domain = createDomain<SqliteTx>({
    siteId: config.siteId,
    limits: config.limits,
    ballotWindowMs: config.ballotWindowMs,
    storeOf: (tx) => repoOf(tx.db),
    nowMsOf: (tx) => tx.nowMs,
    hasBlob: (hash) => blobs.has(hash),
    defer: (fn) => setImmediate(fn),
    notify: (eventId, reason) => live.notify(eventId, reason),
    hooks: {
      photoCommitted: (eventId, version) => {
        montages.get(eventId, version).catch((error: unknown) => logger.warn({ err: error, eventId, version }, "montage build failed"));
      },
      ballotsChanged: (eventId) => rounds.consider(eventId),
      roundDecided: (eventId) => logger.info({ eventId }, "round decided"),
    },
  });
  const transport = new HttpTransport({
    client,
    peers: config.peers,
    blobs,
    deliveredForMs: config.blobCollection.graceMs / 2,
    onReachability: (peer, ok, error) => {
      heartbeat.observe(peer, ok, error);
      // A failed delivery call stays in the outbox and is retried: that is what this counts.
      if (!ok) metrics.retries.inc({ peer });
    },
  });
  const node = new TwoPcNode<SqliteTx>({
    self: config.siteId,
    sites: config.sites.map((s) => s.siteId),
    store,
    transport,
    domain,
    clock,
    timers: systemTimers,
    random: systemRandom,
    failpoints: failpointsFromEnv(config.failpoints),
    config: {
      prepareTimeoutMs: config.prepareTimeoutMs,
      inquiryAfterMs: config.inquiryAfterMs,
      callTimeoutMs: config.callTimeoutMs,
      retryBaseDelayMs: config.retryBaseMs,
      maxCallsPerPeer: config.peerCalls,
      retryMaxDelayMs: config.retryMaxMs,
      maxBacklogPerPeer: config.bounds.maxBacklogPerPeer,
      maxReceipts: config.bounds.maxReceipts,
      receiptTtlMs: config.bounds.receiptTtlMs,
      quarantineKeepRows: config.bounds.quarantineKeepRows,
    },
    onQuarantine: (row) => {
      logger.error({ txId: row.txId, from: row.from, msgId: row.msgId, type: row.type, hits: row.hits, err: row.error }, "poison message quarantined");
      metrics.quarantined.inc({ peer: row.from, type: row.type });
    },
    onFatal: (error) => {
      logger.fatal({ err: error }, "2PC engine stopped on an unexpected error; exiting so the site restarts clean");
      process.exit(70);
    },
  });

  // Coordinated transactions timed into groupshot_twopc_duration_seconds.
  const started = new Map<string, { atMs: number; kind: string }>();
  node.onDecision((event) => {
    logger.info({ txId: event.txId, role: event.role, decision: event.decision, reason: event.reason }, `${event.role} ${event.decision}`);
    metrics.decisions.inc({ role: event.role, decision: event.decision });
    const start = event.role === "coordinator" ? started.get(event.txId) : undefined;
    if (!start) return;
    started.delete(event.txId);
    metrics.transactionSeconds.observe({ kind: start.kind, outcome: event.decision }, (performance.now() - start.atMs) / 1000);
  });
  const engine: ProductEngine = {
    begin: (change, options) => {
      let txId: string;
      try {
        txId = node.begin(change, options);
      } catch (error) {
        if (error instanceof TwoPcError && error.code === "overloaded") metrics.boundRefusals.inc({ bound: "backlog_per_peer" });
        throw error;
      }
      started.set(txId, { atMs: performance.now(), kind: change.kind });
      return txId;
    },
    outcome: (txId) => node.outcome(txId),
    waitForOutcome: (txId, timeoutMs) => node.waitForOutcome(txId, timeoutMs),
    onDecision: (listener) => node.onDecision(listener),
    isCoordinating: (txId) => node.status().coordinating.some((t) => t.txId === txId),
    logFor: (txId) => store.transact((tx) => tx.logFor(txId)),
    // A step of the engine's own: the APP messages it enqueues go out as soon as it is durable.
    transact: (fn) => node.transact(fn),
    sendApp: (tx, to, key, payload) => node.sendApp(tx, to, key, payload),
    pushBlobs: (hashes) =>
      transport.pushBlobs(hashes, {
        // A peer known to be down gets them later through the outbox; only reachable ones wait here.
        peers: heartbeat.peers().filter((p) => p.reachable).map((p) => p.siteId),
        timeoutMs: config.callTimeoutMs,
      }),
  };

  const preparedAt = db.prepare(`SELECT atMs FROM "TxLog" WHERE txId = ? AND kind = 'participant.prepared' ORDER BY seq LIMIT 1`);
  const engineStatus = (): EngineStatus => {
    const status = node.status();
    return {
      backlog: new Map(status.peers.map((p) => [p.peer, p.backlog])),
      inDoubt: status.inDoubt.map((t) => ({
        txId: t.txId,
        coordinator: t.coordinator,
        preparedAtMs: (preparedAt.get(t.txId) as { atMs: number } | undefined)?.atMs ?? Date.now(),
      })),
      // The rows without the message itself: the status page shows what it was, not its body.
      quarantined: status.quarantined.map(({ msg: _msg, ...row }) => row),
    };
  };

  const site = {
    config,
    logger,
    recentLog,
    metrics,
    db,
    prisma,
    heartbeat,
    paths,
    startedAtMs: Date.now(),
    blobs,
    montages,
    live,
    considerRound: (eventId: string) => rounds.consider(eventId),
    pendingCreates: new PendingCreates(),
    engine,
    idempotency: new Idempotency(db, config.bounds.maxIdempotentAnswers),
    decodeQueue: new WorkQueue({ concurrency: UPLOAD_DECODES_AT_ONCE, capacity: UPLOADS_IN_PROGRESS }),
    internal: internalHandler({
      config,
      logger,
      metrics,
      heartbeat,
      nonces,
      blobs,
      handleMessages: (from, messages) => node.handleSoon(from, messages),
      benchCreateEvent: (body) => benchCreateEvent({ siteId: config.siteId, decideWaitMs: config.decideWaitMs, engine, body }),
    }),
    health: () => readHealth({ config, heartbeat, metrics, engineStatus }),
  } satisfies SiteContext;

  // The loops start once everything they reach exists.
  heartbeat.start();
  node.start();
  // A peer that answers again gets its backlog now, not after the backoff its silence built up.
  heartbeat.onReachable((peer) => node.peerReachable(peer));
  rounds.start();
  // Blobs nothing refers to any more (removed photos, aborted uploads, superseded montages).
  const collector = new BlobCollector({
    blobs,
    referenced: blobReferences(db, (hash) => montages.refersTo(hash)),
    beforePass: () => montages.forgetSuperseded().then(() => undefined),
    graceMs: config.blobCollection.graceMs,
    filesPerPass: config.blobCollection.filesPerPass,
  });
  collectEvery(collector, config.blobCollection.intervalMs, {
    passed: (pass) => {
      metrics.blobsCollected.inc({ kind: "blob" }, pass.collected);
      metrics.blobBytesCollected.inc({ kind: "blob" }, pass.collectedBytes);
      metrics.blobsCollected.inc({ kind: "temp" }, pass.tempFiles);
      metrics.blobBytesCollected.inc({ kind: "temp" }, pass.tempBytes);
      if (pass.collected + pass.tempFiles > 0) logger.info(pass, `blobs collected: ${pass.collected} (${pass.collectedBytes} bytes), ${pass.tempFiles} temp files (${pass.tempBytes} bytes)`);
    },
    failed: (error) => logger.warn({ err: error }, "blob collection pass failed"),
  });
  logger.info({ port: config.port, peers: config.peers.map((p) => p.siteId), dataDir: config.dataDir, sites: config.sites.length }, "site started");
  return site;
}
