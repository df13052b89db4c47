import type { RefusalReason } from "./signature";

type Log = { warn(fields: Record<string, unknown>, msg: string): void };
type Window = { counts: Map<RefusalReason, number>; lastPath: string; lastAddress: string };

/**
 * Logs refused internal calls without letting a stranger flood the log (and the status page's
 * recent log): the first refusal from a sender is one line at once; further ones within
 * `intervalMs` are counted and logged as one line per sender at the end of the interval, with
 * the count by reason. A sender is a configured site id or "unknown" (anything else a caller
 * claims), so the state is bounded by the number of peers.
 */
export class RefusalLog {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly options: {
      log: Log;
      knownSites: ReadonlySet<string>;
      intervalMs?: number;
      /** Counted for every refusal (metrics), besides the log. */
      onRefused?: (sender: string, reason: RefusalReason) => void;
    },
  ) {}

  refused(call: { claimedSender: string | undefined; reason: RefusalReason; path: string; address: string | undefined }): void {
    const sender = call.claimedSender !== undefined && this.options.knownSites.has(call.claimedSender) ? call.claimedSender : "unknown";
    this.options.onRefused?.(sender, call.reason);
    const window = this.windows.get(sender);
    if (window) {
      window.counts.set(call.reason, (window.counts.get(call.reason) ?? 0) + 1);
      window.lastPath = call.path.slice(0, 200);
      window.lastAddress = call.address ?? "";
      return;
    }
    this.options.log.warn({ sender, reason: call.reason, path: call.path.slice(0, 200), address: call.address }, "internal call refused");
    this.windows.set(sender, { counts: new Map(), lastPath: "", lastAddress: "" });
    this.schedule(sender);
  }

  private schedule(sender: string): void {
    setTimeout(() => this.flush(sender), this.options.intervalMs ?? 10_000).unref();
  }

  /** One line for what the interval counted; the window stays open while refusals keep coming. */
  private flush(sender: string): void {
    const window = this.windows.get(sender);
    if (!window) return;
    const refused = [...window.counts.values()].reduce((sum, n) => sum + n, 0);
    if (refused === 0) {
      this.windows.delete(sender);
      return;
    }
    const reasons = Object.fromEntries(window.counts);
    const seconds = Math.round((this.options.intervalMs ?? 10_000) / 1000);
    this.options.log.warn(
      { sender, refused, reasons, path: window.lastPath, address: window.lastAddress },
      `internal calls refused: ${refused} more in ${seconds} s`,
    );
    this.windows.set(sender, { counts: new Map(), lastPath: "", lastAddress: "" });
    this.schedule(sender);
  }
}
