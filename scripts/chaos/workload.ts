// Simulated people using the public API on all four sites at once (bounded concurrency): they
// create events, upload small generated photos, and cast ballots. Every answer is recorded as
// what was *acknowledged* to the person, which the final checks hold the cluster to. A request
// that gets no answer is retried with the same Idempotency-Key (as the page does), a bounded
// number of times; its outcome is then "unknown" and only all-or-none is required of it.
import { makePhoto } from "../../lib/images/fixtures";
import { NoAnswer, Person, type Answer } from "../../e2e/support/api";
import type { Prng } from "../../lib/twopc/sim/prng";

/** What the person was told: committed, pending (then settled from the transaction), aborted. */
export type Ack = "committed" | "pending" | "aborted";

export type EventRecord = { eventId: string; txId: string; site: string; ack: Ack };
export type PhotoRecord = { photoId: string; eventId: string; txId: string; site: string; ack: Ack; uploaderId: string };
export type BallotRecord = { eventId: string; version: number; round: number; userId: string; name: string; decision: "accept" | "reject"; site: string };

export type WorkloadLimits = {
  people: number;
  concurrency: number;
  maxEvents: number;
  maxPhotosPerEvent: number;
  /** Total requests the workload may send (a bound, not a target). */
  maxRequests: number;
  requestTimeoutMs: number;
  /** Extra attempts of a request that got no answer (same Idempotency-Key). */
  retries: number;
};

export class Workload {
  readonly events = new Map<string, EventRecord>();
  readonly photos = new Map<string, PhotoRecord>();
  readonly ballots: BallotRecord[] = [];
  readonly counts = { requests: 0, answered: 0, noAnswer: 0, refused: 0, created: 0, uploaded: 0, voted: 0, reads: 0 };
  /** Requests whose final attempt got no answer: they may or may not have happened. */
  readonly unknown: string[] = [];
  private readonly people: Person[] = [];
  private readonly contributions = new Map<string, Set<string>>(); // eventId → userIds with an acked photo
  private stopping = false;
  private photoSeed = 1;
  private keySeq = 0;

  constructor(
    private readonly options: { sites: ReadonlyArray<{ siteId: string; url: string }>; prng: Prng; limits: WorkloadLimits; log: (line: string) => void },
  ) {}

  /** Gives every person a session on the site they use (person i uses site i mod N). */
  async join(): Promise<void> {
    const { sites, limits } = this.options;
    for (let i = 0; i < limits.people; i++) {
      const site = sites[i % sites.length]!;
      const person = new Person(`P${i}`, site.url);
      await person.join({ timeoutMs: 30_000 });
      this.people.push(person);
    }
  }

  /** Runs `concurrency` loops until `stop()`; resolves when every in-flight request has ended. */
  async run(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.limits.concurrency }, (_, lane) => this.loop(lane)));
  }

  stop(): void {
    this.stopping = true;
  }

  private async loop(lane: number): Promise<void> {
    const { prng, limits } = this.options;
    while (!this.stopping && this.counts.requests < limits.maxRequests) {
      // Lanes use people of their own, so one person never has two requests in flight.
      const mine = this.people.filter((_, i) => i % limits.concurrency === lane);
      const person = prng.pick(mine);
      try {
        await this.step(person);
      } catch (error) {
        this.options.log(`workload: ${person.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      await sleep(50 + prng.int(250));
    }
  }

  private async step(person: Person): Promise<void> {
    const { prng, limits } = this.options;
    const events = [...this.events.values()];
    const roll = prng.next();
    if (events.length === 0 || (roll < 0.15 && events.length < limits.maxEvents)) return this.create(person);
    // Contributors vote on their own events (a window someone opened needs everyone's ballot).
    const own = events.filter((e) => this.contributions.get(e.eventId)?.has(person.userId ?? ""));
    if (own.length > 0 && roll < 0.45) return this.vote(person, prng.pick(own).eventId);
    const event = prng.pick(events);
    if (roll < 0.8) return this.upload(person, event.eventId);
    this.counts.reads += 1;
    await this.send(() => person.event(event.eventId, undefined, { timeoutMs: limits.requestTimeoutMs }), `read ${event.eventId}`);
  }

  private async create(person: Person): Promise<void> {
    const key = this.key("ev");
    const timeoutMs = this.options.limits.requestTimeoutMs;
    const answer = await this.attempt(`create by ${person.name}`, () => person.createEvent(`Chaos ${this.events.size + 1}`, { idempotencyKey: key, timeoutMs }));
    if (answer === "unknown" || !answer.ok) return;
    const site = siteOf(this.options.sites, person.siteUrl);
    this.events.set(answer.data.eventId, { eventId: answer.data.eventId, txId: answer.data.txId, site, ack: answer.data.status === "committed" ? "committed" : "pending" });
    this.counts.created += 1;
  }

  private async upload(person: Person, eventId: string): Promise<void> {
    const photoCount = [...this.photos.values()].filter((p) => p.eventId === eventId).length;
    if (photoCount >= this.options.limits.maxPhotosPerEvent) return this.vote(person, eventId);
    const bytes = await makePhoto({ seed: this.photoSeed++, widthPx: 48, heightPx: 32 });
    const key = this.key("ph");
    const timeoutMs = this.options.limits.requestTimeoutMs;
    const answer = await this.attempt(`upload by ${person.name} to ${eventId}`, () => person.addPhoto(eventId, bytes, { idempotencyKey: key, timeoutMs }));
    if (answer === "unknown" || !answer.ok) return;
    if (answer.data.duplicate) return;
    const site = siteOf(this.options.sites, person.siteUrl);
    this.photos.set(answer.data.photoId, {
      photoId: answer.data.photoId,
      eventId,
      txId: answer.data.txId,
      site,
      ack: answer.data.status === "committed" ? "committed" : "pending",
      uploaderId: person.userId ?? "",
    });
    // Pending may still commit: count it (if it aborts, the site simply will not let them vote).
    this.contributed(eventId, person);
    this.counts.uploaded += 1;
  }

  private async vote(person: Person, eventId: string): Promise<void> {
    const timeoutMs = this.options.limits.requestTimeoutMs;
    const view = await this.send(() => person.event(eventId, undefined, { timeoutMs }), `view ${eventId}`);
    if (view === "unknown" || !view.ok) return;
    const { viewer, montage } = view.data;
    if (!viewer.canVote || montage.version === 0) return;
    const decision = this.options.prng.chance(0.12) ? "reject" : "accept";
    const answer = await this.attempt(`ballot by ${person.name} on ${eventId} v${montage.version}`, () => person.vote(eventId, montage.version, decision, { timeoutMs }));
    if (answer === "unknown" || !answer.ok) return;
    this.ballots.push({ eventId, version: montage.version, round: answer.data.round, userId: person.userId ?? "", name: person.name, decision, site: siteOf(this.options.sites, person.siteUrl) });
    this.counts.voted += 1;
  }

  /** One request with bounded retries on "no answer" (same closure, so the same Idempotency-Key). */
  private async attempt<T>(what: string, call: () => Promise<Answer<T>>): Promise<Answer<T> | "unknown"> {
    for (let attempt = 0; attempt <= this.options.limits.retries; attempt++) {
      const answer = await this.send(call, what);
      if (answer !== "unknown") return answer;
      if (this.stopping) break;
      await sleep(500 + this.options.prng.int(1_500));
    }
    this.unknown.push(what);
    return "unknown";
  }

  private async send<T>(call: () => Promise<Answer<T>>, what: string): Promise<Answer<T> | "unknown"> {
    this.counts.requests += 1;
    try {
      const answer = await call();
      this.counts.answered += 1;
      if (!answer.ok) this.counts.refused += 1;
      if (!answer.ok && answer.status >= 500) this.options.log(`workload: ${what}: HTTP ${answer.status} ${answer.code} ${answer.message}`);
      return answer;
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      this.counts.noAnswer += 1;
      return "unknown";
    }
  }

  private contributed(eventId: string, person: Person): void {
    const set = this.contributions.get(eventId) ?? new Set<string>();
    set.add(person.userId ?? "");
    this.contributions.set(eventId, set);
  }

  private key(prefix: string): string {
    this.keySeq += 1;
    return `chaos-${prefix}-${this.keySeq.toString().padStart(6, "0")}-${this.options.prng.int(1e9)}`;
  }

  /** A person of the workload (for the checks, which read with a contributor's cookie). */
  anyone(): Person {
    const person = this.people[0];
    if (!person) throw new Error("the workload has no people");
    return person;
  }

  /** Resolves every "pending" acknowledgement from its coordinator's transaction outcome. */
  async settlePending(timeoutMs: number): Promise<string[]> {
    const problems: string[] = [];
    const deadlineMs = Date.now() + timeoutMs;
    const person = this.anyone();
    const url = (siteId: string) => this.options.sites.find((s) => s.siteId === siteId)?.url ?? "";
    for (const record of [...this.events.values(), ...this.photos.values()]) {
      if (record.ack !== "pending") continue;
      for (;;) {
        const tx = await person.transaction(record.txId, url(record.site), { timeoutMs: 10_000 }).catch(() => undefined);
        if (tx?.ok && tx.data.status !== "pending") {
          record.ack = tx.data.status;
          break;
        }
        if (Date.now() > deadlineMs) {
          problems.push(`transaction ${record.txId} (acknowledged as pending) still undecided at ${record.site}`);
          break;
        }
        await sleep(250);
      }
    }
    return problems;
  }
}

function siteOf(sites: ReadonlyArray<{ siteId: string; url: string }>, url: string): string {
  return sites.find((s) => s.url === url)?.siteId ?? "?";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
