// Multi-site launch: `npm run sites -- [--data DIR] [--count N] [--base-port P] [--rebuild]`.
// Builds when the sources are newer than the last build, starts N sites (default 4, ports
// 8000..), prefixes every log line with the site id, and stops them all on Ctrl-C or SIGTERM.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadOrCreateSecrets, planSites, siteEnv } from "./lib/cluster-env";
import { SiteProcess } from "./lib/site-process";
import { buildState, runNextBuild } from "./lib/build";
import { nativeProblemMessage, unsupportedNodeMessage } from "./lib/node-support.mjs";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: ".data" },
    count: { type: "string", default: "4" },
    "base-port": { type: "string", default: "8000" },
    rebuild: { type: "boolean", default: false },
  },
});
const count = Number(values.count);
const basePort = Number(values["base-port"]);
if (!Number.isInteger(count) || count < 1 || count > 16) fail("--count must be a whole number from 1 to 16");
if (!Number.isInteger(basePort) || basePort < 1024 || basePort + count > 65535) fail("--base-port must leave room for every site");

function fail(message: string): never {
  console.error(`sites: ${message}`);
  process.exit(2);
}

function buildIfNeeded(): void {
  if (!values.rebuild && buildState(process.env.GROUPSHOT_DIST_DIR || ".next").fresh) return;
  console.log("sites: building (next build) ...");
  if (!runNextBuild()) fail("the build failed");
}

async function main(): Promise<void> {
  // Before building or starting anything: the Node and the native module (the sites check again).
  const startProblem = unsupportedNodeMessage() ?? nativeProblemMessage();
  if (startProblem) fail(startProblem);
  buildIfNeeded();
  const dataDir = resolve(values.data);
  const secrets = loadOrCreateSecrets(dataDir);
  const plan = planSites({ count, basePort, dataDir });
  let stopping = false;
  const sites = plan.map(
    (site) =>
      new SiteProcess({
        siteId: site.siteId,
        url: site.url,
        env: siteEnv(site, plan, secrets, { GROUPSHOT_PARENT_PID: String(process.pid) }),
        onLine: (line) => console.log(line),
        onExit: (code, signal) => {
          if (!stopping) console.log(`[${site.siteId}] exited (${signal ?? `code ${code}`}); the other sites keep running`);
        },
      }),
  );

  const stopAll = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`sites: ${signal}, stopping ${sites.length} sites ...`);
    await Promise.all(sites.map((s) => s.stop()));
    console.log("sites: all stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stopAll("SIGINT"));
  process.on("SIGTERM", () => void stopAll("SIGTERM"));
  process.on("SIGHUP", () => void stopAll("SIGHUP"));

  for (const site of sites) site.start();
  await Promise.all(sites.map((s) => s.waitReady(60_000)));
  console.log(`sites: ${sites.length} sites up (data in ${dataDir}); Ctrl-C stops them all`);
  for (const site of plan) console.log(`  ${site.siteId}  ${site.url}`);
}

main().catch((error: unknown) => {
  console.error(`sites: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
