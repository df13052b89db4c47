// Bugs planted on purpose through the runtime's test-only seams, to prove the simulator's checker
// finds them. Never used outside tests and `simulate --plant`.
import { coordinatorStep } from "../coordinator";
import type { Effect } from "../effects";
import { findRecord, loggedDecision, participantFate } from "../history";
import type { TestOnlySeams } from "../node";
import { participantStep } from "../participant";
import type { CoordinatorStepFn, ParticipantStepFn } from "../step-batch";

export const PLANTED_BUGS = [
  "decision-before-durable",
  "inquiry-without-fencing",
  "yes-before-durable",
  "unreachable-counts-as-yes",
  "duplicate-commit-reapplies",
  "reply-before-fsync",
] as const;

export type PlantedBug = (typeof PLANTED_BUGS)[number];

export function isPlantedBug(name: string): name is PlantedBug {
  return (PLANTED_BUGS as readonly string[]).includes(name);
}

/** Answers ABORT to an inquiry about an undecided txn from the log alone: neither fencing nor deciding. */
const unfencedInquiry: CoordinatorStepFn = (state, input, config) => {
  if (input.type === "inquiry" && state.txns.get(input.txId)?.phase !== "decided" && !loggedDecision(input.history)) {
    const reply: Effect = { type: "reply", msg: { type: "DECISION", txId: input.txId, decision: "abort" } };
    return { state, effects: [reply] };
  }
  return coordinatorStep(state, input, config);
};

/** On the prepare timeout, counts every participant that did not answer as a YES. */
const silenceIsYes: CoordinatorStepFn = (state, input, config) => {
  const txn = input.type === "prepare-timeout" ? state.txns.get(input.txId) : undefined;
  if (!txn || txn.phase !== "collecting") return coordinatorStep(state, input, config);
  let current = state;
  const effects: Effect[] = [];
  // Borrow a real YES's domain info, so only the protocol checks can notice.
  const info = [...txn.votes.values()].find((v) => v.vote === "yes")?.info;
  for (const site of txn.participants.filter((p) => !txn.votes.has(p))) {
    const out = coordinatorStep(current, { type: "vote", from: site, txId: txn.txId, vote: { vote: "yes", info } }, config);
    current = out.state;
    effects.push(...out.effects);
  }
  return { state: current, effects };
};

/** Applies a COMMIT again when it arrives for a txn already committed here. */
const reapplyCommit: ParticipantStepFn = (state, input, config) => {
  if (input.type === "decision" && input.decision === "commit" && !state.prepared.has(input.txId)) {
    const prepared = findRecord(input.history, "participant.prepared");
    if (prepared && participantFate(input.history) === "committed") {
      const effects: Effect[] = [{ type: "commitChange", txId: input.txId, change: prepared.change, result: input.result }];
      if (!input.asReply) effects.push({ type: "reply", msg: { type: "ACK", txId: input.txId } });
      return { state, effects };
    }
  }
  return participantStep(state, input, config);
};

export function seamsFor(bug: PlantedBug): TestOnlySeams {
  switch (bug) {
    case "decision-before-durable":
      return { writeBehind: new Set(["coordinator.decided"]) };
    case "yes-before-durable":
      return { writeBehind: new Set(["participant.prepared"]) };
    case "inquiry-without-fencing":
      return { coordinatorStep: unfencedInquiry };
    case "unreachable-counts-as-yes":
      return { coordinatorStep: silenceIsYes };
    case "duplicate-commit-reapplies":
      return { participantStep: reapplyCommit };
    case "reply-before-fsync":
      return { unforcedRequests: true };
  }
}
