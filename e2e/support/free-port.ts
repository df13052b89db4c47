import { createServer } from "node:net";

/** `count` different loopback ports that were free a moment ago (the OS may hand one out twice). */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let tries = 0; ports.size < count; tries++) {
    if (tries >= count * 10) throw new Error(`no ${count} distinct free ports in ${tries} tries`);
    ports.add(await freePort());
  }
  return [...ports];
}

/** A loopback port that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
