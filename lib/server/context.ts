import "server-only";
import { loadConfig } from "@/lib/config/load-config";
import { bootSite, type SiteContext } from "./boot";

export type { SiteContext };

// The one process-wide value. Next.js bundles route handlers and instrumentation separately
// (and scripts/server.mjs is outside both): globalThis is what they share, so the site built
// once lives there, and the internal handler is handed to scripts/server.mjs through it.
const holder = globalThis as typeof globalThis & { __groupshot?: SiteContext };

/** This process's site, built on first use (instrumentation.ts builds it at start). */
export function siteContext(): SiteContext {
  holder.__groupshot ??= bootSite(loadConfig());
  return holder.__groupshot;
}
