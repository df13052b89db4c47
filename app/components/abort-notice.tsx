import type { EventView } from "@/lib/api/contract";
import { describeReason, lastAbort } from "@/lib/client/event-state";

/** Why the last round ended without publishing (a reject or the window running out). */
export function AbortNotice({ event }: { event: EventView }) {
  const round = lastAbort(event);
  if (!round) return null;
  return (
    <div className="banner banner-warning" role="status">
      <p>
        <strong>The last vote ended without publishing.</strong> {describeReason(round.reason)} Uploads are open again;
        a changed montage gets a new vote.
      </p>
    </div>
  );
}
