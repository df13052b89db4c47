// The guarantees of SPEC §4 that the engine is responsible for, checked after every step:
// 1 all-or-none, 2 a decision never changes and commit needs every YES, 3 what the user was told
// survives crashes, 6 nothing stays prepared or pending once everything heals.
import { findRecord, participantFate } from "../history";
import type { Message } from "../messages";
import type { Outcome } from "../outcome";
import type { Decision, SiteId, TxId } from "../types";
import type { SimCluster, SimSite } from "./cluster";
import { appliedCount, readList } from "./domain";

interface Observed {
  decision: Decision;
  source: string;
}

export interface BegunTxn {
  txId: TxId;
  coordinator: SiteId;
  participants: readonly SiteId[];
}

export class Checker {
  readonly violations: string[] = [];
  /** Final outcomes, for the statistics. */
  readonly outcomes = { committed: 0, aborted: 0 };
  readonly begun = new Map<TxId, BegunTxn>();
  /** Outcomes reported to a user (waitForOutcome / outcome): they must never change or vanish. */
  readonly reported = new Map<TxId, Decision>();
  private readonly decisions = new Map<TxId, Observed>();
  private readonly scannedUpTo = new Map<SiteId, number>();
  private cluster: SimCluster | undefined;

  /**
   * `appNotes`: the toy domain's committed txns each send an APP note to every other site, which
   * must arrive. Any domain counts its commits under `applied:<txId>` (the toy itself; the
   * product through the simulator's wrapper), so "applied exactly once" is checked for both.
   */
  constructor(private readonly options: { appNotes: boolean } = { appNotes: true }) {}

  attach(cluster: SimCluster): void {
    this.cluster = cluster;
  }

  violation(text: string): void {
    this.violations.push(text);
  }

  /** Every decision seen anywhere (logs, wire, user answers) for one txn must be the same. */
  observe(txId: TxId, decision: Decision, source: string): void {
    const seen = this.decisions.get(txId);
    if (!seen) {
      this.decisions.set(txId, { decision, source });
      if (decision === "commit") this.checkEveryYesDurable(txId, source);
      return;
    }
    if (seen.decision !== decision) {
      this.violation(`txn ${txId}: ${seen.decision} (${seen.source}) but ${decision} (${source})`);
    }
  }

  observeMessages(from: SiteId, messages: readonly Message[]): void {
    for (const msg of messages) {
      if (msg.type === "DECISION") this.observe(msg.txId, msg.decision, `DECISION sent by ${from}`);
    }
  }

  /** The user was told `outcome` by `site`. */
  told(outcome: Outcome, site: SiteId): void {
    if (outcome.state !== "committed" && outcome.state !== "aborted") return;
    const decision: Decision = outcome.state === "committed" ? "commit" : "abort";
    this.reported.set(outcome.txId, decision);
    this.observe(outcome.txId, decision, `told to the user by ${site}`);
  }

  /** After a restart, whatever the user was told by this coordinator is still its answer. */
  checkReportedAfterRestart(site: SimSite): void {
    const node = site.node;
    if (!node) return;
    for (const [txId, decision] of this.reported) {
      if (this.begun.get(txId)?.coordinator !== site.id) continue;
      const outcome = node.outcome(txId);
      if (outcome.state === "pending" || outcome.state === "unknown") {
        this.violation(`txn ${txId}: user was told ${decision}, ${site.id} says ${outcome.state} after restart`);
      } else {
        this.observe(txId, outcome.state === "committed" ? "commit" : "abort", `outcome at ${site.id} after restart`);
      }
    }
  }

  /** Reads the log records each site made durable since the last scan. */
  scan(): void {
    if (!this.cluster) return;
    for (const site of this.cluster.sites.values()) {
      const log = site.store.committedLog();
      for (let i = this.scannedUpTo.get(site.id) ?? 0; i < log.length; i++) {
        const record = log[i];
        if (!record) continue;
        if (record.kind === "coordinator.decided") this.observe(record.txId, record.decision, `${site.id} logged decided`);
        if (record.kind === "participant.committed") this.observe(record.txId, "commit", `${site.id} logged committed`);
        if (record.kind === "participant.aborted") this.observe(record.txId, "abort", `${site.id} logged aborted`);
      }
      this.scannedUpTo.set(site.id, log.length);
    }
  }

  /** A commit needs a YES from every participant, and a YES needs a durable `prepared`. */
  private checkEveryYesDurable(txId: TxId, source: string): void {
    const txn = this.begun.get(txId);
    if (!txn || !this.cluster) return;
    for (const p of txn.participants) {
      const history = this.cluster.site(p).store.committedLogFor(txId);
      if (!findRecord(history, "participant.prepared")) {
        this.violation(`txn ${txId}: commit (${source}) but ${p} has no durable YES`);
      }
    }
  }

  /** After heal and quiescence: everything decided, applied everywhere once, nothing left over. */
  final(): void {
    const cluster = this.cluster;
    if (!cluster) return;
    for (const site of cluster.sites.values()) this.finalSite(site);
    for (const txn of this.begun.values()) this.finalTxn(cluster, txn);
    this.sameListsEverywhere(cluster);
  }

  private finalSite(site: SimSite): void {
    const node = site.node;
    if (!node) return this.violation(`${site.id} is down after heal`);
    const status = node.status();
    for (const peer of status.peers) {
      if (peer.backlog > 0) this.violation(`${site.id} still has ${peer.backlog} message(s) for ${peer.peer}`);
    }
    if (status.inDoubt.length > 0) this.violation(`${site.id} still in doubt about ${status.inDoubt.map((t) => t.txId).join(", ")}`);
    for (const t of status.coordinating) this.violation(`${site.id} still ${t.phase} ${t.txId}, waiting for ${t.waitingFor.join(", ")}`);
    if (site.store.committedOutbox().length > 0) this.violation(`${site.id} has durable outbox rows left`);
  }

  private finalTxn(cluster: SimCluster, txn: BegunTxn): void {
    const coordinator = cluster.site(txn.coordinator).node;
    if (!coordinator) return;
    const outcome = coordinator.outcome(txn.txId);
    if (outcome.state !== "committed" && outcome.state !== "aborted") {
      return this.violation(`txn ${txn.txId} is ${outcome.state} at its coordinator after heal`);
    }
    const decision: Decision = outcome.state === "committed" ? "commit" : "abort";
    this.outcomes[outcome.state] += 1;
    this.observe(txn.txId, decision, `final outcome at ${txn.coordinator}`);
    for (const p of txn.participants) {
      const site = cluster.site(p);
      const fate = participantFate(site.store.committedLogFor(txn.txId));
      const applied = appliedCount((k) => site.store.committedValue(k), txn.txId);
      if (decision === "commit" && (fate !== "committed" || applied !== 1)) {
        this.violation(`txn ${txn.txId} committed but ${p} is ${fate} and applied it ${applied} times`);
      }
      if (decision === "abort" && (fate === "committed" || fate === "prepared" || applied !== 0)) {
        this.violation(`txn ${txn.txId} aborted but ${p} is ${fate} and applied it ${applied} times`);
      }
      if (this.options.appNotes && decision === "commit" && p !== txn.coordinator) {
        const seen = site.store.committedValue(`seen:note:${txn.txId}`);
        if (seen === undefined) this.violation(`${p} never got the APP note of ${txn.txId}`);
      }
    }
  }

  private sameListsEverywhere(cluster: SimCluster): void {
    let reference: { site: SiteId; lists: string } | undefined;
    for (const site of cluster.sites.values()) {
      const keys = site.store.committedKeys("list:");
      const lists = keys.map((k) => `${k}=${readList((x) => site.store.committedValue(x), k.slice(5)).join(",")}`).join(" ");
      if (!reference) reference = { site: site.id, lists };
      else if (reference.lists !== lists) {
        this.violation(`lists differ: ${reference.site} has ${reference.lists}, ${site.id} has ${lists}`);
      }
    }
  }
}
