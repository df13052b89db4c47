// The physical floor of a 2PC decision on this machine, measured in the same run as the sites:
//   R = one request/response between two Node processes on loopback over a kept-alive connection
//   F = one durable SQLite commit (better-sqlite3, WAL, synchronous=FULL) on the sites' disk
// A decision acknowledged to the user needs at least one PREPARE round trip to a peer, the
// participant's durable prepare and the coordinator's durable decision: floor = R + 2F.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { request as httpRequest, Agent } from "node:http";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { summarize, timeEach, type Summary } from "./lib/stats";
import type { ProcessRegistry } from "./lib/processes";
import { benchPorts } from "./lib/ports";

export type FloorResult = {
  /** fetch (undici, keep-alive), for reference: what a script using Node's fetch pays per call. */
  roundTripFetchMs: Summary;
  /** node:http with a keep-alive Agent: what the sites' peer client (lib/internal/peer-client.ts) and the bench's JSON client use. */
  roundTripHttpMs: Summary;
  commitMs: Summary;
  /** R + 2F from the medians (R = node:http). */
  floorMs: number;
};

// A tiny server: answers every POST with a small JSON body, as a peer answers a message batch.
const ECHO_SERVER = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.stringify({ ok: true, size: Buffer.concat(chunks).length });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(Number(process.argv[1] || 0), "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));
setInterval(() => { try { process.kill(${process.pid}, 0); } catch { process.exit(0); } }, 1000).unref();
`;

const PAYLOAD = JSON.stringify([{ type: "PREPARE", txId: "s0.00000000-0000-0000-0000-000000000000", v: 1, msgId: "m", from: "s0" }]);

export async function measureFloor(options: { dir: string; roundTrips: number; commits: number; processes: ProcessRegistry }): Promise<FloorResult> {
  const echo = await startEchoServer(options.processes);
  try {
    const roundTripFetchMs = await fetchRoundTrips(echo.url, options.roundTrips);
    const roundTripHttpMs = await httpRoundTrips(echo.url, options.roundTrips);
    const commitMs = durableCommits(join(options.dir, "floor.db"), options.commits);
    return { roundTripFetchMs, roundTripHttpMs, commitMs, floorMs: roundTripHttpMs.p50 + 2 * commitMs.p50 };
  } finally {
    echo.stop();
  }
}

/** A Node child process on a loopback port that reads every POST or PUT to the end and answers a small JSON body. */
export async function startEchoServer(processes: ProcessRegistry): Promise<{ url: string; stop: () => void }> {
  const [port] = await benchPorts(1);
  const child = spawn(process.execPath, ["-e", ECHO_SERVER, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  processes.add(child);
  const stop = () => {
    child.kill("SIGKILL");
    processes.forget(child);
  };
  try {
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    return { url: `http://127.0.0.1:${line.toString().trim()}/`, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

function fetchRoundTrips(url: string, count: number): Promise<Summary> {
  const once = async () => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: PAYLOAD });
    await response.arrayBuffer();
  };
  return timeEach(count, once, Math.min(200, count)); // warm the connection and the JIT first
}

async function httpRoundTrips(url: string, count: number): Promise<Summary> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = httpRequest(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(PAYLOAD) } }, (res) => {
        res.on("data", () => undefined);
        res.on("end", () => resolve());
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(PAYLOAD);
    });
  try {
    return await timeEach(count, once, Math.min(200, count));
  } finally {
    agent.destroy();
  }
}

/** One small row per transaction, each commit fsynced (what a prepare or a decision record costs). */
function durableCommits(path: string, count: number): Summary {
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.exec(`CREATE TABLE IF NOT EXISTS record (seq INTEGER PRIMARY KEY, txId TEXT NOT NULL, body TEXT NOT NULL)`);
    const insert = db.prepare(`INSERT INTO record (txId, body) VALUES (?, ?)`);
    const commit = db.transaction((i: number) => insert.run(`tx-${i}`, PAYLOAD));
    // Timed synchronously, as a site commits: no promise between the sample and the commit.
    for (let i = 0; i < Math.min(50, count); i++) commit.immediate(i);
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      commit.immediate(i);
      samples.push(performance.now() - start);
    }
    return summarize(samples);
  } finally {
    db.close();
  }
}
