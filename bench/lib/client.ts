// The public API as a script uses it (docs/API.md), with a session cookie: JSON calls over
// kept-alive node:http (http-json.ts), uploads and montages with Node's fetch (multipart, bytes).
// Every call returns its wall time next to its answer.
import { performance } from "node:perf_hooks";
import { httpJson } from "./http-json";
import { createEventAnswer, addPhotoAnswer, healthAnswer, transactionAnswer, type HealthAnswer } from "../../lib/api/contract";

export type Timed<T> = { ms: number; status: number; body: T };

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** One user (one cookie) talking to one site. */
export class SiteClient {
  constructor(
    readonly siteId: string,
    readonly url: string,
    private cookie = "",
  ) {}

  static async join(siteId: string, url: string, name: string): Promise<SiteClient> {
    const response = await httpJson(`${url}/api/session`, { method: "POST", body: { name } });
    if (response.status < 200 || response.status > 299) throw new ApiError(`POST /api/session on ${siteId}: HTTP ${response.status}`, response.status);
    const cookie = response.setCookie.map((c) => c.split(";")[0] ?? "").join("; ");
    return new SiteClient(siteId, url, cookie);
  }

  cookieHeader(): string {
    return this.cookie;
  }

  /** The same user (cookie) on another site: the cookie is sealed with the cluster's shared password. */
  on(siteId: string, url: string): SiteClient {
    return new SiteClient(siteId, url, this.cookie);
  }

  async createEvent(title: string): Promise<Timed<{ eventId: string; txId: string; status: string }>> {
    const { status, json, ms } = await httpJson(`${this.url}/api/events`, { method: "POST", headers: { cookie: this.cookie }, body: { title } });
    if (status !== 201 && status !== 202) throw new ApiError(`POST /api/events on ${this.siteId}: HTTP ${status} ${JSON.stringify(json).slice(0, 300)}`, status);
    return { ms, status, body: createEventAnswer.parse(json) };
  }

  async addPhoto(eventId: string, bytes: Uint8Array<ArrayBuffer>): Promise<Timed<{ photoId: string; txId: string; status: string; montageVersion: number | null }>> {
    const form = new FormData();
    form.append("photo", new Blob([bytes], { type: "image/jpeg" }), "photo.jpg");
    const start = performance.now();
    const response = await fetch(`${this.url}/api/events/${eventId}/photos`, { method: "POST", headers: { cookie: this.cookie }, body: form });
    const json: unknown = await response.json();
    const ms = performance.now() - start;
    if (response.status !== 201 && response.status !== 202) throw new ApiError(`POST photos on ${this.siteId}: HTTP ${response.status} ${JSON.stringify(json).slice(0, 300)}`, response.status);
    return { ms, status: response.status, body: addPhotoAnswer.parse(json) };
  }

  async transactionStatus(txId: string): Promise<string> {
    const { status, json } = await httpJson(`${this.url}/api/transactions/${encodeURIComponent(txId)}`, { headers: { cookie: this.cookie } });
    if (status !== 200) throw new ApiError(`GET transaction on ${this.siteId}: HTTP ${status}`, status);
    return transactionAnswer.parse(json).status;
  }

  /**
   * Waits until a pending transaction is decided here; returns its final status. Polls with a
   * growing interval (25 ms doubling to 250 ms): a "pending" answer already took DECIDE_WAIT_MS,
   * and tight polling by many clients would load the sites being measured.
   */
  async waitDecided(txId: string, timeoutMs = 120_000): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    for (let intervalMs = 25; ; intervalMs = Math.min(250, intervalMs * 2)) {
      const status = await this.transactionStatus(txId);
      if (status !== "pending") return status;
      if (performance.now() > deadline) throw new Error(`transaction ${txId} still pending after ${timeoutMs} ms`);
      await sleep(intervalMs);
    }
  }

  /** GET the montage of a version (the site builds it if it has not yet). */
  async montage(eventId: string, version: number): Promise<Timed<number>> {
    const start = performance.now();
    const response = await fetch(`${this.url}/api/events/${eventId}/montage?v=${version}`, { headers: { cookie: this.cookie } });
    const bytes = await response.arrayBuffer();
    const ms = performance.now() - start;
    if (!response.ok) throw new ApiError(`GET montage v${version} on ${this.siteId}: HTTP ${response.status} ${Buffer.from(bytes).toString("utf8").slice(0, 200)}`, response.status);
    return { ms, status: response.status, body: bytes.byteLength };
  }
}

export async function health(url: string, timeoutMs = 2_000): Promise<HealthAnswer> {
  const response = await httpJson(`${url}/api/health`, { timeoutMs });
  return healthAnswer.parse(response.json);
}

export async function metricsText(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
  return response.text();
}

/** The value of an unlabelled-by-us gauge in Prometheus text (the site label is always there). */
export function metricValue(text: string, name: string): number | null {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== " " && rest[0] !== "{") continue;
    const value = Number(line.split(" ").pop());
    if (Number.isFinite(value)) return value;
  }
  return null;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** GET a photo's tile (the montage source and thumbnail) as the uploader. */
export async function photoTile(client: { url: string; cookieHeader: () => string }, photoId: string): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetch(`${client.url}/api/photos/${photoId}/thumb`, { headers: { cookie: client.cookieHeader() } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!response.ok) throw new ApiError(`GET tile ${photoId}: HTTP ${response.status}`, response.status);
  return bytes;
}
