import type { EventView } from "@/lib/api/contract";
import { describeReason, lastAbort, roundLabel } from "@/lib/client/event-state";

/** Why the last round ended without publishing (a reject, with its reasons, or the window running out). */
export function AbortNotice({ event }: { event: EventView }) {
  const round = lastAbort(event);
  if (!round) return null;
  const label = roundLabel(round.round);
  const reasons = round.ballots.filter((b) => b.decision === "reject" && b.reason);
  const sameVersion = round.version === event.montage.version;
  // One column: the sentence, then each reason as a quote under it (never beside it).
  return (
    <div className="banner banner-warning abort-notice" role="status">
      <div>
        <p>
          <strong>The last vote{label ? ` (${label.toLowerCase()})` : ""} ended without publishing.</strong> {describeReason(round.reason)}
        </p>
        {reasons.length > 0 && (
          <ul className="reject-reasons" aria-label="Reasons given">
            {reasons.map((b) => (
              <li key={b.userId}>
                <span className="reject-reason-name">{b.name}</span>
                <q className="reject-reason-text">{b.reason}</q>
              </li>
            ))}
          </ul>
        )}
        <p className="small">
          Uploads are open again; {sameVersion ? "any contributor can accept this montage again to start a new round." : "a changed montage gets a new vote."}
        </p>
      </div>
    </div>
  );
}
