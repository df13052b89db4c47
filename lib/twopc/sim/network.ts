// A seeded, faulty network of request/reply calls: it drops, duplicates, delays (hence reorders)
// and partitions requests and replies. A call whose reply never comes times out (indefinite).
import { parseMessages, type Message } from "../messages";
import type { SendRequest, Transport } from "../ports/transport";
import type { SiteId } from "../types";
import type { Prng } from "./prng";
import type { Scheduler } from "./scheduler";
import { describeBatch, type Tracer } from "./trace";

/** With sampled validation, one batch in this many goes through JSON and the zod schemas. */
const WIRE_SAMPLE_EVERY = 8;

/** One shared instance: building an Error (and its stack) per timeout was a tenth of a run's cost. */
const CALL_TIMEOUT = new Error("call timed out");

export interface NetworkFaults {
  dropRate: number;
  duplicateRate: number;
  /**
   * A reply handed to the caller twice over: its messages repeated, and a stale reply of an
   * earlier call between the same two sites mixed in (the runtime must act on each answer once).
   */
  duplicateReplyRate?: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/** What the network needs from the cluster. */
export interface NetworkPeers {
  /** Runs `to`'s inbound handler; undefined if `to` is down or crashed while handling (never settles if it crashes first). */
  handleAt(to: SiteId, from: SiteId, messages: Message[]): Promise<Message[] | undefined>;
  /** Whether incarnation `incarnation` of `site` is still the live one. */
  alive(site: SiteId, incarnation: number): boolean;
}

export interface NetworkObserver {
  /** Every message as it leaves a site (requests and replies). */
  sent(from: SiteId, messages: readonly Message[]): void;
  violation(text: string): void;
}

export class SimNetwork {
  faults: NetworkFaults;
  private readonly cuts = new Set<string>();
  /** One-way cuts: "from>to" loses what `from` sends to `to`, while `to` still reaches `from`. */
  private readonly oneWay = new Set<string>();
  /** The last reply delivered per direction, for stale duplicates. */
  private readonly lastReply = new Map<string, readonly Message[]>();
  private batches = 0;

  constructor(
    private readonly deps: {
      scheduler: Scheduler;
      prng: Prng;
      tracer: Tracer;
      observer: NetworkObserver;
      faults: NetworkFaults;
      /** Validate messages with the zod wire schemas: every batch, or one batch in WIRE_SAMPLE_EVERY. */
      validateWire: "all" | "sample";
    },
    private peers?: NetworkPeers,
  ) {
    this.faults = deps.faults;
  }

  connect(peers: NetworkPeers): void {
    this.peers = peers;
  }

  cut(a: SiteId, b: SiteId): void {
    this.cuts.add(pairKey(a, b));
  }

  mend(a: SiteId, b: SiteId): void {
    this.cuts.delete(pairKey(a, b));
  }

  /**
   * Healing: every cut mended, nothing lost any more, and delays short enough for any call to
   * finish within its timeout (a timeout shorter than the round trip is a fault too).
   */
  heal(): void {
    this.cuts.clear();
    this.oneWay.clear();
    this.faults = { ...this.faults, dropRate: 0, maxDelayMs: Math.min(this.faults.maxDelayMs, 20) };
  }

  isCut(a: SiteId, b: SiteId): boolean {
    return this.cuts.has(pairKey(a, b));
  }

  /** `from` can no longer reach `to` (requests and replies alike); the other way still works. */
  cutOneWay(from: SiteId, to: SiteId): void {
    this.oneWay.add(`${from}>${to}`);
  }

  mendOneWay(from: SiteId, to: SiteId): void {
    this.oneWay.delete(`${from}>${to}`);
  }

  isCutOneWay(from: SiteId, to: SiteId): boolean {
    return this.oneWay.has(`${from}>${to}`);
  }

  /** Whether what `from` sends now reaches `to`. */
  blocked(from: SiteId, to: SiteId): boolean {
    return this.cuts.has(pairKey(from, to)) || this.oneWay.has(`${from}>${to}`);
  }

  cutPairs(): string[] {
    return [...this.cuts, ...this.oneWay];
  }

  transportFor(from: SiteId, incarnation: number): Transport {
    return { send: (request) => this.send(from, incarnation, request) };
  }

  private send(from: SiteId, incarnation: number, request: SendRequest): Promise<readonly Message[]> {
    const { scheduler, tracer, observer } = this.deps;
    const { to } = request;
    const messages = this.wire(request.messages);
    observer.sent(from, messages);
    return new Promise((resolve, reject) => {
      let settled = false;
      const callerAlive = () => this.peers?.alive(from, incarnation) ?? false;
      const timeout = scheduler.after(request.timeoutMs, "call timeout", () => {
        if (settled || !callerAlive()) return;
        settled = true;
        tracer.line(() => `${from}→${to} call timed out ${describeBatch(messages)}`);
        reject(CALL_TIMEOUT);
      });
      const copies = this.copies();
      tracer.line(() => `${from}→${to} send ${describeBatch(messages)}${copies === 1 ? "" : copies === 0 ? " (lost)" : " (duplicated)"}`);
      for (let i = 0; i < copies; i++) {
        scheduler.after(this.delayMs(), "request", () => {
          if (this.blocked(from, to)) return tracer.line(() => `${from}→${to} request cut by partition`);
          void this.peers?.handleAt(to, from, messages).then((handled) => {
            if (handled !== undefined) this.reply(from, to, handled, () => settled || !callerAlive(), (replies) => {
              settled = true;
              timeout.cancelled = true;
              resolve(replies);
            });
          });
        });
      }
    });
  }

  /** Sends `handled` back from `to` to `from` (lost, cut or delayed like any message) unless the call is over by then. */
  private reply(from: SiteId, to: SiteId, handled: readonly Message[], over: () => boolean, deliver: (replies: readonly Message[]) => void): void {
    const { scheduler, tracer, observer } = this.deps;
    const replies = this.wire(handled);
    observer.sent(to, replies);
    if (this.copies() === 0) return tracer.line(() => `${to}→${from} reply lost ${describeBatch(replies)}`);
    scheduler.after(this.delayMs(), "reply", () => {
      if (over()) return;
      if (this.blocked(to, from)) return tracer.line(() => `${to}→${from} reply cut by partition`);
      const direction = `${to}>${from}`;
      const stale = this.lastReply.get(direction);
      this.lastReply.set(direction, replies);
      if (this.deps.prng.chance(this.faults.duplicateReplyRate ?? 0)) {
        tracer.line(() => `${to}→${from} reply ${describeBatch(replies)} (duplicated, with a stale one)`);
        return deliver([...(stale ?? []), ...replies, ...replies]);
      }
      tracer.line(() => `${to}→${from} reply ${describeBatch(replies)}`);
      deliver(replies);
    });
  }

  /** 0 = lost, 1 = delivered, 2 = delivered twice. */
  private copies(): number {
    const { prng } = this.deps;
    if (prng.chance(this.faults.dropRate)) return 0;
    return prng.chance(this.faults.duplicateRate) ? 2 : 1;
  }

  private delayMs(): number {
    return this.deps.prng.between(this.faults.minDelayMs, this.faults.maxDelayMs);
  }

  /**
   * What crosses the wire. A sampled batch is serialized, parsed and schema-checked like the real
   * transport does; the others are passed as they are (copying is most of a run's cost). Sharing is
   * safe because the runtime never mutates a message once it is enveloped.
   */
  private wire(messages: readonly Message[]): Message[] {
    this.batches += 1;
    if (this.deps.validateWire === "sample" && this.batches % WIRE_SAMPLE_EVERY !== 1) return [...messages];
    const parsed = parseMessages(JSON.parse(JSON.stringify(messages)));
    if (parsed.ok) return parsed.messages;
    this.deps.observer.violation(`a message failed the wire schema: ${parsed.error}`);
    return [];
  }
}

function pairKey(a: SiteId, b: SiteId): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
