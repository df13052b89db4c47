/**
 * Every site process a test or the chaos runner starts is registered here by PID, so that it is
 * killed even when the harness ends abruptly: on process exit (also after an uncaught error),
 * and, for scripts that ask for it, on SIGINT/SIGTERM/SIGHUP. Only PIDs registered here are
 * ever signalled (never by name). A frozen (SIGSTOPped) process gets SIGCONT first.
 * (If the harness itself is SIGKILLed, each site notices its parent is gone and exits:
 * GROUPSHOT_PARENT_PID, lib/site/start-or-exit.ts.)
 */
const live = new Set<number>();
let hooked = false;

function killAllNow(): void {
  for (const pid of live) {
    try {
      process.kill(pid, "SIGCONT");
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  live.clear();
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", killAllNow);
}

/**
 * For scripts (not test workers, whose runner owns the signals): kill every registered site
 * at once on Ctrl-C or a termination signal, then run `cleanup` and exit with 128 + signal.
 */
export function reapOnSignals(cleanup: (signal: NodeJS.Signals) => Promise<void> | void = () => undefined): void {
  hook();
  const codes: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
  let handling = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (handling) return;
      handling = true;
      killAllNow();
      const done = () => process.exit(codes[signal] ?? 1);
      Promise.resolve()
        .then(() => cleanup(signal))
        .then(done, done);
      setTimeout(done, 5_000).unref();
    });
  }
}

export function registerPid(pid: number | undefined): void {
  if (pid === undefined) return;
  hook();
  live.add(pid);
}

export function unregisterPid(pid: number | undefined): void {
  if (pid !== undefined) live.delete(pid);
}

/** PIDs still registered (for a harness's own sanity checks). */
export function registeredPids(): number[] {
  return [...live];
}
