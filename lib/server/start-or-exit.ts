import { ConfigError } from "@/lib/config/load-config";
import { siteContext } from "./context";

/** Builds this process's site at start; a bad configuration or a failed start exits with one line. */
export function startSiteOrExit(): void {
  try {
    siteContext();
    exitWithParent();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `groupshot: the site could not start: ${String(error)}`);
    process.exit(1);
  }
}

/**
 * A site started by the launcher or a test harness stops when that parent is gone, even if
 * the parent was SIGKILLed and could not stop its children itself: no orphans.
 */
function exitWithParent(): void {
  const parentPid = Number(process.env.GROUPSHOT_PARENT_PID ?? "");
  if (!Number.isInteger(parentPid) || parentPid <= 0) return;
  const timer = setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch {
      console.error("groupshot: the process that started this site is gone; stopping");
      process.exit(0);
    }
  }, 1_000);
  timer.unref();
}
