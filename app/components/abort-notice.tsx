import type { EventView } from "@/lib/api/contract";
import { describeReason, lastAbort, roundLabel } from "@/lib/client/event-state";

/** Why the last round ended without publishing (a reject, with its reasons, or the window running out). */
export function AbortNotice({ event }: { event: EventView }) {
  const round = lastAbort(event);
  if (!round) return null;
  const label = roundLabel(round.round);
  const reasons = round.ballots.filter((b) => b.decision === "reject" && b.reason);
  const sameVersion = round.version === event.montage.version;
  return (
    <div className="banner banner-warning" role="status">
      <p>
        <strong>The last vote{label ? ` (${label.toLowerCase()})` : ""} ended without publishing.</strong> {describeReason(round.reason)} Uploads are open
        again; {sameVersion ? "any contributor can accept this montage again to start a new round." : "a changed montage gets a new vote."}
      </p>
      {reasons.length > 0 && (
        <ul className="reject-reasons">
          {reasons.map((b) => (
            <li key={b.userId}>
              {b.name}: “{b.reason}”
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
