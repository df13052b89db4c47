import type { EventView } from "@/lib/api/contract";

const labels: Record<EventView["status"], string> = {
  pending: "Being created",
  open: "Collecting photos",
  voting: "Ballot open",
  published: "Published",
};

export function StatusBadge({ status }: { status: EventView["status"] }) {
  return (
    <span className={`badge badge-${status}`}>
      <span className="badge-dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
