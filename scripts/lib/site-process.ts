import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { resolve } from "node:path";

const repoRoot = resolve(__dirname, "..", "..");

export type SiteProcessOptions = {
  siteId: string;
  url: string;
  env: Record<string, string>;
  /** Each output line, already prefixed with the site id. */
  onLine?: (line: string) => void;
  /** Called when the process ends by itself or by a signal. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
};

/**
 * One site as an operating-system process (`scripts/site.sh`, which execs `node scripts/server.mjs`), so
 * the PID here is the server itself: SIGKILL, SIGSTOP and SIGCONT hit the real site.
 */
export class SiteProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(readonly options: SiteProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(extraEnv: Record<string, string> = {}): void {
    if (this.running) throw new Error(`${this.options.siteId} is already running`);
    // A clean environment: only what a site is documented to read, nothing leaked from the caller.
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: "production",
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...(process.env.GROUPSHOT_DIST_DIR ? { GROUPSHOT_DIST_DIR: process.env.GROUPSHOT_DIST_DIR } : {}),
      ...this.options.env,
      ...extraEnv,
    };
    const child = spawn("sh", [resolve(repoRoot, "scripts", "site.sh")], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    const prefix = `[${this.options.siteId}] `;
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => this.options.onLine?.(prefix + line));
    }
    this.exited = new Promise((done) => {
      child.once("exit", (code, signal) => {
        this.options.onExit?.(code, signal);
        done();
      });
    });
  }

  /** Polls GET /api/health until the site answers, the process dies, or the time runs out. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadlineMs = Date.now() + timeoutMs;
    while (Date.now() < deadlineMs) {
      if (!this.running) throw new Error(`${this.options.siteId} exited before it was ready`);
      try {
        const response = await fetch(`${this.options.url}/api/health`, { signal: AbortSignal.timeout(1_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.options.siteId} was not ready within ${timeoutMs} ms`);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child?.pid !== undefined && this.running) process.kill(this.child.pid, signal);
  }

  /** SIGKILL, as a crash would, and wait until the process is gone. */
  async kill(): Promise<void> {
    this.signal("SIGCONT");
    this.signal("SIGKILL");
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.signal("SIGCONT");
    this.signal("SIGTERM");
    const timer = setTimeout(() => this.signal("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  async waitExit(): Promise<void> {
    await this.exited;
  }
}
