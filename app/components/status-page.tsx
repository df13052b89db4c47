"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { HealthAnswer } from "@/lib/api/contract";
import { getHealth, getStatusLog, type ApiError } from "@/lib/client/api";
import { formatAgo, formatClock, plural } from "@/lib/client/format";
import type { StatusLogLine } from "@/lib/client/status-log";
import { useDocumentTitle } from "@/lib/client/use-document-title";
import { useNow } from "@/lib/client/use-now";

const REFRESH_MS = 2_000;

type Loaded<T> = { data: T | null; error: ApiError | null; at: number | null };
const empty = <T,>(): Loaded<T> => ({ data: null, error: null, at: null });

function PeerCard({ peer, now }: { peer: HealthAnswer["peers"][number]; now: number }) {
  return (
    <li className={`peer card ${peer.reachable ? "peer-up" : "peer-down"}`}>
      <div className="peer-head">
        <span className="peer-id">{peer.siteId}</span>
        <span className={`chip ${peer.reachable ? "chip-accept" : "chip-reject"}`}>
          <span className={`dot ${peer.reachable ? "dot-ok" : "dot-bad"}`} aria-hidden="true" />
          {peer.reachable ? "Reachable" : "Unreachable"}
        </span>
      </div>
      <p className="peer-url mono small">{peer.url}</p>
      <dl className="peer-stats">
        <div>
          <dt>Last seen</dt>
          <dd>{formatAgo(peer.lastSeen, now)}</dd>
        </div>
        <div>
          <dt>Backlog</dt>
          <dd className={peer.backlog > 0 ? "has-backlog" : undefined}>{plural(peer.backlog, "message")}</dd>
        </div>
      </dl>
      {peer.lastError && !peer.reachable && <p className="peer-error small">{peer.lastError}</p>}
    </li>
  );
}

/** /status: this site's view of its peers, its in-doubt transactions and its recent log. */
export function StatusPage() {
  const [health, setHealth] = useState<Loaded<HealthAnswer>>(empty);
  const [log, setLog] = useState<Loaded<StatusLogLine[]>>(empty);
  const [paused, setPaused] = useState(false);
  const now = useNow(1_000, true);
  const busy = useRef(false);

  const load = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    const [h, l] = await Promise.all([getHealth(), getStatusLog()]);
    busy.current = false;
    const at = Date.now();
    setHealth((previous) => (h.ok ? { data: h.data, error: null, at } : { ...previous, error: h.error }));
    setLog((previous) => (l.ok ? { data: l.data, error: null, at } : { ...previous, error: l.error }));
  }, []);

  useEffect(() => {
    void load();
    if (paused) return;
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, paused]);

  const h = health.data;
  const reachable = h ? h.peers.filter((p) => p.reachable).length : 0;
  const backlog = h ? h.peers.reduce((sum, p) => sum + p.backlog, 0) : 0;
  const logMissing = log.error?.status === 404;
  useDocumentTitle(h ? `Status of site ${h.siteId}` : null);

  return (
    <main className="shell page status-page">
      <header className="status-head">
        <div>
          <p className="eyebrow">Site status</p>
          <h1>{h ? `Site ${h.siteId}` : "This site"}</h1>
          <p className="muted small" aria-live="off">
            {paused ? "Paused" : `Refreshes every ${REFRESH_MS / 1000} s`}
            {health.at ? ` · updated ${formatAgo(new Date(health.at).toISOString(), now)}` : ""}
          </p>
        </div>
        <button type="button" className="btn btn-secondary" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
          {paused ? "Resume" : "Pause"}
        </button>
      </header>

      {health.error && (
        <p className="banner banner-error" role="alert">
          Health could not be read: {health.error.message}
        </p>
      )}

      {h && (
        <section className="summary" aria-label="Summary">
          <div className={`summary-tile card ${reachable === h.peers.length ? "is-good" : "is-bad"}`}>
            <span className="summary-value">
              {reachable}/{h.peers.length}
            </span>
            <span className="summary-label">peers reachable</span>
          </div>
          <div className={`summary-tile card ${backlog === 0 ? "is-good" : "is-warn"}`}>
            <span className="summary-value">{backlog}</span>
            <span className="summary-label">{backlog === 1 ? "message" : "messages"} waiting to be delivered</span>
          </div>
          <div className={`summary-tile card ${h.inDoubt.length === 0 ? "is-good" : "is-warn"}`}>
            <span className="summary-value">{h.inDoubt.length}</span>
            <span className="summary-label">in-doubt {h.inDoubt.length === 1 ? "transaction" : "transactions"}</span>
          </div>
          <div className={`summary-tile card ${h.quarantined.length === 0 ? "is-good" : "is-bad"}`}>
            <span className="summary-value">{h.quarantined.length}</span>
            <span className="summary-label">quarantined {h.quarantined.length === 1 ? "message" : "messages"}</span>
          </div>
        </section>
      )}

      <section aria-labelledby="peers-title">
        <h2 id="peers-title" className="section-title">
          Peers
        </h2>
        {!h && !health.error && <div className="skeleton skeleton-block" />}
        {h && h.peers.length === 0 && <p className="muted">This site runs alone: it has no peers configured.</p>}
        {h && h.peers.length > 0 && (
          <ul className="peers">
            {h.peers.map((peer) => (
              <PeerCard key={peer.siteId} peer={peer} now={now} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="doubt-title" className="card">
        <h2 id="doubt-title" className="card-title">
          In-doubt transactions
        </h2>
        <p className="hint">Prepared here and waiting for the coordinator&apos;s decision. They resolve by themselves when it is reachable.</p>
        {h && h.inDoubt.length === 0 && <p className="muted">None — every prepared transaction has a decision.</p>}
        {h && h.inDoubt.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Transaction</th>
                  <th scope="col">Coordinator</th>
                  <th scope="col">Prepared</th>
                </tr>
              </thead>
              <tbody>
                {h.inDoubt.map((tx) => (
                  <tr key={tx.txId}>
                    <td className="mono">{tx.txId}</td>
                    <td data-label="Coordinator">{tx.coordinator}</td>
                    <td data-label="Prepared" title={tx.preparedAt}>
                      {formatAgo(tx.preparedAt, now)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="quarantine-title" className="card">
        <h2 id="quarantine-title" className="card-title">
          Quarantined messages
        </h2>
        <p className="hint">
          Messages from a peer that this site could not handle (a bug, not a fault): kept here instead of crashing on every retry. A PREPARE was
          answered no, an APP notice dropped; a DECISION stays unacknowledged and its coordinator keeps retrying it.
        </p>
        {h && h.quarantined.length === 0 && <p className="muted">None.</p>}
        {h && h.quarantined.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Message</th>
                  <th scope="col">Transaction</th>
                  <th scope="col">From</th>
                  <th scope="col">Times</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {h.quarantined.map((q) => (
                  <tr key={`${q.from}-${q.msgId}`}>
                    <td className="mono">{q.type}</td>
                    <td data-label="Transaction" className="mono">
                      {q.txId}
                    </td>
                    <td data-label="From">{q.from}</td>
                    <td data-label="Times">{q.hits}</td>
                    <td data-label="Last seen" title={q.lastAt}>
                      {formatAgo(q.lastAt, now)}
                    </td>
                    <td data-label="Error" className="small">
                      {q.error}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="log-title" className="card">
        <div className="card-head">
          <h2 id="log-title" className="card-title">
            Recent log
          </h2>
          <span className="muted small">Newest first · info and above</span>
        </div>
        {logMissing && <p className="muted">This site does not publish its log yet.</p>}
        {log.error && !logMissing && <p className="banner banner-error">The log could not be read: {log.error.message}</p>}
        {log.data && log.data.length === 0 && <p className="muted">No log lines yet.</p>}
        {log.data && log.data.length > 0 && (
          <ol className="log" aria-label="Log lines">
            {log.data.map((line, index) => (
              <li key={`${line.time}-${index}`} className={`log-line level-${line.level}`}>
                <time dateTime={line.time} className="log-time">
                  {formatClock(line.time)}
                </time>
                <span className="log-level">{line.level}</span>
                <span className="log-msg">{line.msg}</span>
                {line.txId && <span className="log-tx mono">{line.txId}</span>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </main>
  );
}
