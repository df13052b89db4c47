// Tunables of the runtime, with safe defaults. A limit on everything.

export interface TwoPcConfig {
  /** The coordinator aborts if not every vote is in by then. Long: a down site makes the answer "pending", not "aborted". */
  prepareTimeoutMs: number;
  /** A prepared participant that hears nothing for this long asks the coordinator. */
  inquiryAfterMs: number;
  /** While the coordinator answers "still pending", inquiries back off (doubling) up to this. */
  inquiryMaxDelayMs: number;
  /** Every site-to-site call must settle within this time. */
  callTimeoutMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Messages per transport call. */
  batchSize: number;
  /** Transport calls to one peer at once: a PREPARE need not wait behind another txn's DECISION. */
  maxCallsPerPeer: number;
  /** `begin` refuses new txns while a participant's backlog is this long. */
  maxBacklogPerPeer: number;
  /** Inbox receipts older than this are forgotten (handlers stay idempotent without them). */
  receiptTtlMs: number;
  /** ...and beyond this many (the newest stay), checked at start and every 1,000 inbound batches. */
  maxReceipts: number;
  /** Poison messages kept in the quarantine table (the least recently seen go first). */
  quarantineKeepRows: number;
  /** Delay before the `participant.after-reply` failpoint, so the reply has left first. */
  afterReplyFailpointDelayMs: number;
  /** Check the runtime's invariants after every step (cheap: proportional to live txns). */
  checkInvariants: boolean;
}

export const DEFAULT_CONFIG: TwoPcConfig = {
  prepareTimeoutMs: 5 * 60_000,
  inquiryAfterMs: 5_000,
  inquiryMaxDelayMs: 60_000,
  callTimeoutMs: 5_000,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 10_000,
  batchSize: 64,
  maxCallsPerPeer: 4,
  maxBacklogPerPeer: 100_000,
  receiptTtlMs: 7 * 24 * 3_600_000,
  maxReceipts: 200_000,
  quarantineKeepRows: 100,
  afterReplyFailpointDelayMs: 20,
  checkInvariants: true,
};

export function resolveConfig(overrides: Partial<TwoPcConfig> | undefined): TwoPcConfig {
  const config = { ...DEFAULT_CONFIG, ...overrides };
  for (const [name, value] of Object.entries(config)) {
    if (typeof value === "number" && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`twopc config ${name} must be a finite number >= 0, got ${value}`);
    }
  }
  if (config.batchSize < 1) throw new RangeError("twopc config batchSize must be >= 1");
  if (config.maxCallsPerPeer < 1) throw new RangeError("twopc config maxCallsPerPeer must be >= 1");
  if (config.retryMaxDelayMs < config.retryBaseDelayMs) throw new RangeError("retryMaxDelayMs < retryBaseDelayMs");
  return config;
}
