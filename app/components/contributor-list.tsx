import type { EventView } from "@/lib/api/contract";
import { openRound } from "@/lib/client/event-state";
import { initials, plural } from "@/lib/client/format";

function BallotChip({ ballot, roundOpen }: { ballot: "accept" | "reject" | null; roundOpen: boolean }) {
  if (ballot === "accept") return <span className="chip chip-accept">✓ Accepted</span>;
  if (ballot === "reject") return <span className="chip chip-reject">✕ Rejected</span>;
  return roundOpen ? <span className="chip chip-waiting">No ballot yet</span> : null;
}

export function ContributorList({ event }: { event: EventView }) {
  const roundOpen = openRound(event) !== null;
  return (
    <section className="card" aria-labelledby="contributors-title">
      <div className="card-head">
        <h2 id="contributors-title" className="card-title">
          Contributors
        </h2>
        <span className="muted small">
          {event.contributors.length} / {event.limits.maxContributors}
        </span>
      </div>
      {event.contributors.length === 0 ? (
        <p className="hint">Nobody has added a photo yet. Everyone who adds one must accept the montage before it is published.</p>
      ) : (
        <ul className="people">
          {event.contributors.map((person) => {
            const you = person.userId === event.viewer.userId;
            return (
              <li key={person.userId} className="person">
                <span className="avatar" aria-hidden="true">
                  {initials(person.name)}
                </span>
                <span className="person-text">
                  <span className="person-name">
                    {person.name}
                    {you && <span className="you"> (you)</span>}
                  </span>
                  <span className="muted small">{plural(person.photoCount, "photo")}</span>
                </span>
                <BallotChip ballot={person.ballot} roundOpen={roundOpen} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
