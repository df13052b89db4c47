import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * What a cut link does to a new connection: "refuse" resets it at once (a crashed router, a
 * firewall REJECT: the caller fails fast), "blackhole" accepts it and never answers (a dropped
 * cable, a firewall DROP: the caller times out).
 */
export type CutMode = "refuse" | "blackhole";

/**
 * One directed link between two sites: a TCP proxy on 127.0.0.1 that the `from` site uses as
 * its URL for `to`. While healed it forwards bytes both ways; a cut destroys every open
 * connection (keep-alive ones included) and then refuses or blackholes new ones.
 */
export class LinkProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private cutMode: CutMode | null = null;
  port = 0;

  constructor(
    readonly from: string,
    readonly to: string,
    /** The real port of `to` (a restarted site comes back on the same one). */
    private readonly targetPort: number,
    /** Ports this proxy must not listen on (the sites', chosen but not bound yet). */
    private readonly reserved: ReadonlySet<number> = new Set(),
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isCut(): boolean {
    return this.cutMode !== null;
  }

  async start(): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const server = createServer((socket) => this.accept(socket));
      const port = await new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
          const address = server.address();
          resolve(typeof address === "object" && address ? address.port : 0);
        });
      });
      if (!this.reserved.has(port)) {
        this.server = server;
        this.port = port;
        return;
      }
      await new Promise((resolve) => server.close(resolve)); // the OS handed out a site's port: another
    }
    throw new Error(`link ${this.from}→${this.to}: no free port outside the sites' in 10 tries`);
  }

  cut(mode: CutMode = "refuse"): void {
    this.cutMode = mode;
    this.dropAll();
  }

  heal(): void {
    if (this.cutMode === null) return;
    this.cutMode = null;
    // Connections held by a blackhole never carried anything: end them so callers retry.
    this.dropAll();
  }

  async close(): Promise<void> {
    this.dropAll();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.cutMode === "refuse") {
      client.resetAndDestroy();
      return;
    }
    if (this.cutMode === "blackhole") {
      client.on("data", () => undefined); // read and drop
      return;
    }
    const upstream = connect({ host: "127.0.0.1", port: this.targetPort });
    this.track(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", closeBoth);
    upstream.on("error", closeBoth);
    client.on("close", closeBoth);
    upstream.on("close", closeBoth);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    socket.on("error", () => undefined);
  }

  private dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

/** One proxy per directed pair of sites: the harness's switchboard for partitions. */
export class Links {
  private readonly proxies = new Map<string, LinkProxy>();

  static async start(sites: ReadonlyArray<{ siteId: string; port: number }>): Promise<Links> {
    const links = new Links();
    // The sites' ports were free a moment ago and are not bound yet: no proxy may take one.
    const reserved = new Set(sites.map((s) => s.port));
    for (const from of sites) {
      for (const to of sites) {
        if (from.siteId === to.siteId) continue;
        const proxy = new LinkProxy(from.siteId, to.siteId, to.port, reserved);
        links.proxies.set(key(from.siteId, to.siteId), proxy);
      }
    }
    try {
      await Promise.all([...links.proxies.values()].map((p) => p.start()));
    } catch (error) {
      await links.close();
      throw error;
    }
    return links;
  }

  /** The URL `from` uses to reach `to`. */
  url(from: string, to: string): string {
    return this.proxy(from, to).url;
  }

  /** Cuts both directions between `a` and `b`. */
  cut(a: string, b: string, mode: CutMode = "refuse"): void {
    this.proxy(a, b).cut(mode);
    this.proxy(b, a).cut(mode);
  }

  /** Cuts only `from` → `to` (its replies on connections `to` opened still flow). */
  cutOneWay(from: string, to: string, mode: CutMode = "refuse"): void {
    this.proxy(from, to).cut(mode);
  }

  heal(a: string, b: string): void {
    this.proxy(a, b).heal();
    this.proxy(b, a).heal();
  }

  /** Cuts every link of `site`: it still runs and serves its own users, alone. */
  isolate(site: string, mode: CutMode = "refuse"): void {
    for (const proxy of this.proxies.values()) if (proxy.from === site || proxy.to === site) proxy.cut(mode);
  }

  healAll(): void {
    for (const proxy of this.proxies.values()) proxy.heal();
  }

  /** The pairs currently cut in at least one direction, as "a-b" with a < b. */
  cutPairs(): string[] {
    const pairs = new Set<string>();
    for (const proxy of this.proxies.values()) if (proxy.isCut) pairs.add([proxy.from, proxy.to].sort().join("-"));
    return [...pairs].sort();
  }

  async close(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((p) => p.close()));
  }

  private proxy(from: string, to: string): LinkProxy {
    const proxy = this.proxies.get(key(from, to));
    if (!proxy) throw new Error(`no link ${from} → ${to}`);
    return proxy;
  }
}

function key(from: string, to: string): string {
  return `${from}>${to}`;
}
