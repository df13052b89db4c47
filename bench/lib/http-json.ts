// The bench's own HTTP client for JSON calls: node:http over kept-alive connections (one pool
// per process, several sockets per site), so a figure prices the site and not the client. Node's
// fetch (undici) adds ~0.5–1 ms per call on these machines, more than a whole 2PC round trip.
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

// Idle sockets close after 4 s, before a site would close them (Node's keepAliveTimeout is 5 s).
const agent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 });

export type JsonAnswer = { status: number; ms: number; json: unknown; setCookie: string[]; bytes: number };

export function httpJson(url: string, options: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {}): Promise<JsonAnswer> {
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const headers: Record<string, string | number> = { accept: "application/json", ...options.headers };
  if (payload) {
    headers["content-type"] = "application/json";
    headers["content-length"] = payload.byteLength;
  }
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", agent, headers, timeout: options.timeoutMs ?? 120_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        const cookies = res.headers["set-cookie"] ?? [];
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - start, json: parseOrText(body.toString("utf8")), setCookie: cookies, bytes: body.byteLength });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${options.method ?? "GET"} ${url}: no answer within ${options.timeoutMs ?? 120_000} ms`)));
    req.on("error", reject);
    req.end(payload);
  });
}

function parseOrText(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { unparsed: text.slice(0, 300) };
  }
}
