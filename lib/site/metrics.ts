import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** A bounded table's size and bound, read when /metrics is scraped. */
export type BoundedTable = { table: string; rows: number; bound: number };

/** The site's Prometheus metrics, served at GET /metrics. */
export function createMetrics(siteId: string, options: { boundedTables?: () => readonly BoundedTable[] } = {}) {
  const registry = new Registry();
  registry.setDefaultLabels({ site: siteId });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  return {
    registry,
    peerUp: new Gauge({ name: "groupshot_peer_up", help: "1 if the peer answered the last heartbeat", labelNames: ["peer"], registers: [registry] }),
    heartbeatSeconds: new Histogram({
      name: "groupshot_heartbeat_rtt_seconds",
      help: "Round trip of a heartbeat to a peer",
      labelNames: ["peer"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    backlog: new Gauge({ name: "groupshot_outbox_backlog", help: "Messages waiting to be acknowledged by a peer", labelNames: ["peer"], registers: [registry] }),
    inDoubt: new Gauge({ name: "groupshot_in_doubt_transactions", help: "Transactions prepared here and not yet decided", registers: [registry] }),
    decisions: new Counter({ name: "groupshot_twopc_decisions_total", help: "Durable 2PC decisions at this site", labelNames: ["role", "decision"], registers: [registry] }),
    quarantined: new Counter({
      name: "groupshot_quarantined_messages_total",
      help: "Inbound messages this site could not handle, quarantined instead of crashing (each arrival counts)",
      labelNames: ["peer", "type"],
      registers: [registry],
    }),
    internalRefused: new Counter({
      name: "groupshot_internal_refused_total",
      help: "Internal calls refused for their signature (unsigned, unknown sender, stale, bad, replayed); sender is a site id or unknown",
      labelNames: ["sender", "reason"],
      registers: [registry],
    }),
    blobsCollected: new Counter({
      name: "groupshot_blobs_collected_total",
      help: "Blobs nothing referred to any more, deleted by the collector (kind blob), and leftover temp files of unfinished writes (kind temp)",
      labelNames: ["kind"],
      registers: [registry],
    }),
    blobBytesCollected: new Counter({ name: "groupshot_blob_bytes_collected_total", help: "Bytes freed by the blob collector", labelNames: ["kind"], registers: [registry] }),
    boundedRows: new Gauge({
      name: "groupshot_bounded_table_rows",
      help: "Rows in each bounded table (README, Bounds); its bound is groupshot_bounded_table_bound",
      labelNames: ["table"],
      registers: [registry],
      collect() {
        for (const t of options.boundedTables?.() ?? []) this.set({ table: t.table }, t.rows);
      },
    }),
    boundedRowsBound: new Gauge({
      name: "groupshot_bounded_table_bound",
      help: "The bound of each bounded table: refused (outbox) or pruned to (the others) at this many rows",
      labelNames: ["table"],
      registers: [registry],
      collect() {
        for (const t of options.boundedTables?.() ?? []) this.set({ table: t.table }, t.bound);
      },
    }),
    boundRefusals: new Counter({
      name: "groupshot_bound_refusals_total",
      help: "Requests refused because a bound was reached (bound: backlog_per_peer)",
      labelNames: ["bound"],
      registers: [registry],
    }),
    retries: new Counter({ name: "groupshot_message_retries_total", help: "Message deliveries retried after a failure", labelNames: ["peer"], registers: [registry] }),
    transactionSeconds: new Histogram({
      name: "groupshot_twopc_duration_seconds",
      help: "From begin to a durable decision at the coordinator",
      labelNames: ["kind", "outcome"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
