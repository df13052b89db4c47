import "server-only";
import { join } from "node:path";
import { TwoPcNode } from "@/lib/twopc/node";
import { monotonicClock, offsetClock, systemRandom, systemTimers } from "@/lib/twopc/system-ports";
import { failpointsFromEnv } from "@/lib/twopc/failpoints-process";
import { SqliteStore, type SqliteTx } from "@/lib/store/sqlite-store";
import { createDomain } from "@/lib/product/domain";
import { notifyChanged } from "@/lib/product/live";
import { repoOf } from "@/lib/product/repo";
import { Montages } from "@/lib/product/montages";
import { RoundDecider } from "@/lib/product/round-decider";
import { getSite, type Site } from "@/lib/site/site";
import { BlobStore } from "@/lib/store/blob-store";
import { HttpTransport } from "./http-transport";

export type Engine = {
  node: TwoPcNode<SqliteTx>;
  /** Starts a transaction coordinated here, timed into groupshot_twopc_duration_seconds. */
  begin: TwoPcNode<SqliteTx>["begin"];
  /** The same durable store the engine writes through, for reads of the protocol log (writes with APP messages: node.transact). */
  store: SqliteStore;
  blobs: BlobStore;
  montages: Montages;
  rounds: RoundDecider;
  /**
   * Hands a new photo's blobs to every reachable peer now, in parallel (best effort, bounded by
   * CALL_TIMEOUT_MS), so the PREPARE that follows carries no upload (see HttpTransport).
   */
  pushBlobs: (hashes: readonly string[]) => Promise<void>;
};

const holder = globalThis as typeof globalThis & { __groupshotEngine?: Engine };

/** The 2PC engine of this site process, with the product plugged in. Started once. */
export function getEngine(): Engine {
  holder.__groupshotEngine ??= startEngine(getSite());
  return holder.__groupshotEngine;
}

function startEngine(site: Site): Engine {
  const { config, logger } = site;
  // The site's wall clock: the system's, unless a test sets it off (TEST_CLOCK_OFFSET_MS).
  const clock = offsetClock(config.testClockOffsetMs);
  const blobs = new BlobStore(site.paths.blobs);
  const montages = new Montages({ db: site.db, blobs, root: join(site.paths.data, "montages") });
  const engine: Partial<Engine> = { blobs, montages };
  const domain = createDomain<SqliteTx>({
    siteId: config.siteId,
    limits: config.limits,
    ballotWindowMs: config.ballotWindowMs,
    storeOf: (tx) => repoOf(tx.db),
    nowMsOf: (tx) => tx.nowMs,
    hasBlob: (hash) => blobs.has(hash),
    defer: (fn) => setImmediate(fn),
    notify: notifyChanged,
    hooks: {
      photoCommitted: (eventId, version) => {
        montages.get(eventId, version).catch((error: unknown) => logger.warn({ err: error, eventId, version }, "montage build failed"));
      },
      ballotsChanged: (eventId) => engine.rounds?.consider(eventId),
      roundDecided: (eventId) => logger.info({ eventId }, "round decided"),
    },
  });
  const store = new SqliteStore(site.db, () => clock.nowMs());
  const transport = new HttpTransport({
    client: { siteId: config.siteId, secret: config.siteSecret },
    peers: config.peers,
    blobs,
    onReachability: (peer, ok, error) => {
      site.heartbeat.observe(peer, ok, error);
      // A failed delivery call stays in the outbox and is retried: that is what this counts.
      if (!ok) site.metrics.retries.inc({ peer });
    },
  });
  const pushBlobs = (hashes: readonly string[]) =>
    transport.pushBlobs(hashes, {
      // A peer known to be down gets them later through the outbox; only reachable ones wait here.
      peers: site.heartbeat.peers().filter((p) => p.reachable).map((p) => p.siteId),
      timeoutMs: config.callTimeoutMs,
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
    },
    onQuarantine: (row) => {
      logger.error({ txId: row.txId, from: row.from, msgId: row.msgId, type: row.type, hits: row.hits, err: row.error }, "poison message quarantined");
      site.metrics.quarantined.inc({ peer: row.from, type: row.type });
    },
    onFatal: (error) => {
      logger.fatal({ err: error }, "2PC engine stopped on an unexpected error; exiting so the site restarts clean");
      process.exit(70);
    },
  });
  node.start();
  // A peer that answers again gets its backlog now, not after the backoff its silence built up.
  site.heartbeat.onReachable((peer) => node.peerReachable(peer));
  const started = new Map<string, { atMs: number; kind: string }>();
  const begin: Engine["begin"] = (change, options) => {
    const txId = node.begin(change, options);
    started.set(txId, { atMs: performance.now(), kind: change.kind });
    return txId;
  };
  node.onDecision((event) => {
    const start = event.role === "coordinator" ? started.get(event.txId) : undefined;
    if (!start) return;
    started.delete(event.txId);
    site.metrics.transactionSeconds.observe({ kind: start.kind, outcome: event.decision }, (performance.now() - start.atMs) / 1000);
  });
  const rounds = new RoundDecider({
    siteId: config.siteId,
    store: () => repoOf(site.db),
    engine: { begin: (change) => begin(change), waitForOutcome: (txId, ms) => node.waitForOutcome(txId, ms) },
    clock,
    monotonic: monotonicClock,
    ballotWindowMs: config.ballotWindowMs,
    timers: systemTimers,
    random: systemRandom,
    log: logger,
  });
  engine.node = node;
  engine.begin = begin;
  engine.rounds = rounds;
  rounds.start();
  const preparedAt = site.db.prepare(`SELECT atMs FROM "TxLog" WHERE txId = ? AND kind = 'participant.prepared' ORDER BY seq LIMIT 1`);
  site.engineStatus = () => {
    const status = node.status();
    return {
      backlog: new Map(status.peers.map((p) => [p.peer, p.backlog])),
      inDoubt: status.inDoubt.map((t) => ({
        txId: t.txId,
        coordinator: t.coordinator,
        preparedAtMs: (preparedAt.get(t.txId) as { atMs: number } | undefined)?.atMs ?? Date.now(),
      })),
      quarantined: status.quarantined.map((q) => ({
        from: q.from,
        msgId: q.msgId,
        txId: q.txId,
        type: q.type,
        error: q.error,
        hits: q.hits,
        firstAtMs: q.firstAtMs,
        lastAtMs: q.lastAtMs,
      })),
    };
  };
  // Every decision, as coordinator or participant, leaves a log line carrying its transaction id.
  node.onDecision((event) => {
    logger.info({ txId: event.txId, role: event.role, decision: event.decision, reason: event.reason }, `${event.role} ${event.decision}`);
    site.metrics.decisions.inc({ role: event.role, decision: event.decision });
  });
  logger.info({ sites: config.sites.length }, "2PC engine started");
  return { node, begin, store, blobs, montages, rounds, pushBlobs };
}
