// Property: whatever the order of PREPAREs, duplicate and reordered DECISIONs, inquiries and
// crashes (state rebuilt from the durable log), a participant applies a txn at most once, never
// both commits and aborts it, and never holds two prepared txns on one key.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { LogRecord } from "./log-records";
import { initialParticipantState, participantStep, type ParticipantInput, type ParticipantState } from "./participant";
import { SITES } from "./test-support";
import type { Decision } from "./types";

const TXNS = [
  { txId: "s0.a", key: "k1" },
  { txId: "s2.b", key: "k1" },
  { txId: "s3.c", key: "k2" },
];

type Action =
  | { kind: "prepare"; t: number; domainYes: boolean }
  | { kind: "decision"; t: number; commitIfPossible: boolean }
  | { kind: "status"; t: number }
  | { kind: "inquiry-due"; t: number }
  | { kind: "crash" };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("prepare" as const), t: fc.nat(2), domainYes: fc.boolean() }),
  fc.record({ kind: fc.constant("decision" as const), t: fc.nat(2), commitIfPossible: fc.boolean() }),
  fc.record({ kind: fc.constant("status" as const), t: fc.nat(2) }),
  fc.record({ kind: fc.constant("inquiry-due" as const), t: fc.nat(2) }),
  fc.constant({ kind: "crash" as const }),
);

test("participant property: at most once, never both, one prepared txn per key — across crashes", () => {
  fc.assert(
    fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
      let state: ParticipantState = initialParticipantState("s1");
      const log: LogRecord[] = [];
      const votedYes = new Set<string>();
      /** The coordinator's decision per txn, fixed at its first DECISION (a commit needs our YES). */
      const decisions = new Map<string, Decision>();
      const applied = new Map<string, string[]>();
      const config = { inquiryAfterMs: 10, inquiryMaxDelayMs: 80 };

      const run = (input: ParticipantInput) => {
        const out = participantStep(state, input, config);
        state = out.state;
        for (const e of out.effects) {
          if (e.type === "persist") log.push(e.record);
          if (e.type === "commitChange" || e.type === "abortChange") applied.set(e.txId, [...(applied.get(e.txId) ?? []), e.type]);
          if (e.type === "reply" && e.msg.type === "VOTE" && e.msg.vote === "yes") votedYes.add(e.msg.txId);
        }
      };

      for (const a of actions) {
        if (a.kind === "crash") {
          state = initialParticipantState("s1");
          run({ type: "recovered", records: [...log], nowMs: 0 });
          continue;
        }
        const txn = TXNS[a.t] ?? assert.fail();
        const history = log.filter((r) => r.txId === txn.txId);
        if (a.kind === "prepare") {
          const change = { key: txn.key, kind: "k", data: null };
          const verdict = a.domainYes ? { vote: "yes" as const } : { vote: "no" as const, code: "domain", reason: "domain" };
          run({ type: "prepare", from: "s0", txId: txn.txId, participants: SITES, change, verdict, history, nowMs: 0 });
        } else if (a.kind === "decision") {
          const decision = decisions.get(txn.txId) ?? (a.commitIfPossible && votedYes.has(txn.txId) ? "commit" : "abort");
          decisions.set(txn.txId, decision);
          run({ type: "decision", from: "s0", txId: txn.txId, decision, history, asReply: false });
        } else if (a.kind === "status") {
          run({ type: "status-pending", txId: txn.txId, nowMs: 0 });
        } else {
          run({ type: "inquiry-due", txId: txn.txId });
        }
        const keys = [...state.prepared.values()].map((p) => p.change.key);
        assert.equal(new Set(keys).size, keys.length, "two prepared txns on one key");
      }
      for (const [txId, effects] of applied) {
        assert.ok(effects.length <= 1, `${txId}: ${effects.join(", ")}`);
        if (effects[0] === "commitChange") assert.equal(decisions.get(txId), "commit");
      }
    }),
    { numRuns: 2_000 },
  );
});
