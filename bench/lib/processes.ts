// Every process the bench starts is registered here and stopped by its PID when the bench ends,
// also on failure, Ctrl-C or SIGTERM. Sites additionally get GROUPSHOT_PARENT_PID, so they stop
// by themselves within a second even if the bench is SIGKILLed.
import type { ChildProcess } from "node:child_process";

type Stoppable = { stop: () => Promise<void> };

export class ProcessRegistry {
  private readonly children = new Set<ChildProcess>();
  /** Children started with `detached: true`: their whole process group is killed (e.g. time → montage). */
  private readonly groups = new Set<ChildProcess>();
  private readonly stoppables = new Set<Stoppable>();
  private stopping: Promise<void> | undefined;

  add(child: ChildProcess, options: { group?: boolean } = {}): void {
    this.children.add(child);
    if (options.group) this.groups.add(child);
    child.once("exit", () => this.forget(child));
  }

  forget(child: ChildProcess): void {
    this.children.delete(child);
    this.groups.delete(child);
  }

  addStoppable(item: Stoppable): void {
    this.stoppables.add(item);
  }

  forgetStoppable(item: Stoppable): void {
    this.stoppables.delete(item);
  }

  /** Stops everything still running: stoppables gracefully (bounded), plain children with SIGKILL. */
  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      for (const child of this.children) {
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
          const target = this.groups.has(child) ? -child.pid : child.pid;
          try {
            process.kill(target, "SIGCONT");
            process.kill(target, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }
      await Promise.all([...this.stoppables].map((s) => s.stop().catch(() => undefined)));
      this.children.clear();
      this.groups.clear();
      this.stoppables.clear();
    })();
    return this.stopping;
  }

  /** Ctrl-C, SIGTERM and SIGHUP stop every registered process, then exit with 130/143/129. */
  installSignalHandlers(onSignal: (signal: NodeJS.Signals) => void): void {
    const codes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
    for (const signal of Object.keys(codes) as NodeJS.Signals[]) {
      process.once(signal, () => {
        onSignal(signal);
        void this.stopAll().finally(() => process.exit(codes[signal] ?? 1));
      });
    }
  }
}
