import type { EventView } from "@/lib/api/contract";
import { formatDateTime, joinNames } from "@/lib/client/format";

/** The audit trail: every round of the event, newest first — who accepted, who rejected and why, who had not voted. */
export function RoundTrail({ event }: { event: EventView }) {
  const decided = event.rounds.filter((r) => r.outcome !== null);
  if (decided.length === 0) return null;
  return (
    <details className="card round-trail">
      <summary className="card-title">Earlier rounds ({decided.length})</summary>
      <ol className="round-trail-list">
        {decided.map((r) => {
          const accepted = r.ballots.filter((b) => b.decision === "accept").map((b) => b.name);
          const rejected = r.ballots.filter((b) => b.decision === "reject");
          return (
            <li key={`${r.version}-${r.round}`} data-round={`${r.version}.${r.round}`}>
              <strong>
                Version {r.version}, round {r.round}: {r.outcome === "published" ? "published" : "ended without publishing"}
              </strong>
              {r.decidedAt && <span className="muted small"> · {formatDateTime(r.decidedAt)}</span>}
              {accepted.length > 0 && <p className="small">Accepted: {joinNames(accepted)}</p>}
              {rejected.map((b) => (
                <p className="small" key={b.userId}>
                  Rejected by {b.name}
                  {b.reason ? `: “${b.reason}”` : ""}
                </p>
              ))}
              {r.notVoted.length > 0 && <p className="small">
                  {rejected.length > 0 || r.outcome === "published" ? "Had not voted yet" : "Had not voted when time ran out"}: {joinNames(r.notVoted.map((c) => c.name))}
                </p>}
            </li>
          );
        })}
      </ol>
    </details>
  );
}
