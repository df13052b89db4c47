// Loopback ports for everything the bench starts (sites, the floor's echo server, PostgreSQL).
// By default the OS picks free ones; `--base-port P` (a machine shared by several people, each
// with a range) hands out P, P+1, ... instead, skipping any that is taken at that moment.
import { createServer } from "node:net";
import { freePorts } from "../../e2e/support/free-port";

/** How many ports a run may need from a base port (sites, one-site cluster, floor, peers). */
export const PORT_RANGE_SIZE = 100;

let basePort: number | null = null;
let nextPort = 0;

export function useBasePort(port: number): void {
  if (!Number.isInteger(port) || port < 1024 || port + PORT_RANGE_SIZE > 65_535) throw new Error(`--base-port must be an integer from 1024 to ${65_535 - PORT_RANGE_SIZE}`);
  basePort = port;
  nextPort = port;
}

/** `count` distinct loopback ports that were free a moment ago. */
export async function benchPorts(count: number): Promise<number[]> {
  if (basePort === null) return freePorts(count);
  const ports: number[] = [];
  while (ports.length < count) {
    if (nextPort >= basePort + PORT_RANGE_SIZE) throw new Error(`no ${count} free ports left in ${basePort}–${basePort + PORT_RANGE_SIZE - 1}`);
    const port = nextPort++;
    if (await isFree(port)) ports.push(port);
  }
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
