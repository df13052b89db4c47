// People and sites for the public-API tests. Each person has their own cookie jar (their own
// Playwright request context), joins one site and keeps using it, as SPEC §1 says people do.
// Observers read every site to assert what each one shows.
import { expect, request, type APIRequestContext, type APIResponse } from "@playwright/test";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { addPhotoAnswer, ballotAnswer, createEventAnswer, errorBody, eventView, publishedAnswer, sessionAnswer, transactionAnswer, type EventView, type TransactionAnswer } from "../../../lib/api/contract";
import type { Cluster } from "../../support/cluster";

/**
 * A new connection per request. On a loaded machine a test can stay idle past the server's
 * keep-alive timeout, and a request sent on the socket the server is just closing fails with
 * ECONNRESET — a client artefact that says nothing about the product.
 */
const NO_KEEPALIVE = { connection: "close" };

export type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

/** One person: a name, the site they joined and their own cookie jar. */
export class Person {
  private constructor(
    readonly name: string,
    readonly siteId: string,
    readonly baseUrl: string,
    readonly http: APIRequestContext,
    readonly userId: string,
  ) {}

  /** Opens a fresh cookie jar at the site and joins with a display name (POST /api/session). */
  static async join(cluster: Cluster, siteId: string, name: string): Promise<Person> {
    const baseUrl = cluster.url(siteId);
    const http = await request.newContext({ baseURL: baseUrl, extraHTTPHeaders: NO_KEEPALIVE });
    const response = await http.post("/api/session", { data: { name } });
    expect(response.status(), await response.text()).toBe(200);
    const user = sessionAnswer.parse(await response.json());
    expect(user.name).toBe(name);
    return new Person(name, siteId, baseUrl, http, user.userId);
  }

  async dispose(): Promise<void> {
    await this.http.dispose();
  }

  /** The value of this person's session cookie (to tamper with it, or to forge one). */
  async cookie(): Promise<string> {
    const state = await this.http.storageState();
    const cookie = state.cookies.find((c) => c.name === "groupshot");
    if (!cookie) throw new Error(`${this.name} has no session cookie`);
    return cookie.value;
  }

  createEventRaw(title: unknown, headers: Record<string, string> = {}): Promise<APIResponse> {
    return this.http.post("/api/events", { data: { title }, headers });
  }

  /**
   * Creates an event that must commit. A 202 (pending: a site is slow to answer, as happens on a
   * loaded machine) is followed the way a client does, through GET /api/transactions/:txId.
   */
  async createEvent(title: string, headers: Record<string, string> = {}) {
    const response = await this.createEventRaw(title, headers);
    expect([201, 202], await response.text()).toContain(response.status());
    const answer = createEventAnswer.parse(await response.json());
    if (answer.status === "committed") return answer;
    const outcome = await this.followTransaction(answer.txId);
    expect(outcome.status, outcome.reason ?? "").toBe("committed");
    return { ...answer, status: outcome.status, sites: outcome.sites };
  }

  /** Polls the transaction at this person's site until it is no longer pending. */
  async followTransaction(txId: string, timeoutMs = 60_000) {
    let last: TransactionAnswer | undefined;
    await expect
      .poll(
        async () => {
          const response = await this.http.get(`/api/transactions/${txId}`);
          expect(response.status(), await response.text()).toBe(200);
          last = transactionAnswer.parse(await response.json());
          return last.status;
        },
        { timeout: timeoutMs },
      )
      .not.toBe("pending");
    if (!last) throw new Error(`no answer for ${txId}`);
    return last;
  }

  uploadRaw(eventId: string, bytes: Uint8Array, options: { filename?: string; mimeType?: string; headers?: Record<string, string> } = {}): Promise<APIResponse> {
    return this.http.post(`/api/events/${eventId}/photos`, {
      multipart: { photo: { name: options.filename ?? "photo.jpg", mimeType: options.mimeType ?? "image/jpeg", buffer: Buffer.from(bytes) } },
      headers: options.headers ?? {},
    });
  }

  /**
   * Uploads a photo that must be committed (201), or be pending (202) and then commit, and
   * returns the answer with the montage version the photo made.
   */
  async upload(eventId: string, bytes: Uint8Array, options: { filename?: string; headers?: Record<string, string> } = {}) {
    const response = await this.uploadRaw(eventId, bytes, options);
    expect([201, 202], await response.text()).toContain(response.status());
    const answer = addPhotoAnswer.parse(await response.json());
    if (answer.status === "committed") return answer;
    const outcome = await this.followTransaction(answer.txId);
    expect(outcome.status, outcome.reason ?? "").toBe("committed");
    let version: number | null = null;
    await expect
      .poll(async () => {
        version = (await this.event(eventId)).photos.find((p) => p.photoId === answer.photoId)?.version ?? null;
        return version;
      })
      .not.toBeNull();
    return { ...answer, status: outcome.status, montageVersion: version, sites: outcome.sites };
  }

  voteRaw(eventId: string, body: unknown): Promise<APIResponse> {
    return this.http.post(`/api/events/${eventId}/ballots`, { data: body as Record<string, unknown> });
  }

  async vote(eventId: string, montageVersion: number, decision: "accept" | "reject") {
    const response = await this.voteRaw(eventId, { montageVersion, decision });
    expect(response.status(), await response.text()).toBe(200);
    return ballotAnswer.parse(await response.json());
  }

  /** The event as this person sees it at their own site. */
  async event(eventId: string): Promise<EventView> {
    return readEvent(this.http, this.baseUrl, eventId);
  }

  /** GET of a path at any site with this person's cookie (cookies are per host, not per port). */
  get(url: string): Promise<APIResponse> {
    return this.http.get(url);
  }
}

/** Anonymous access (no cookie at all) for observing every site. */
export async function anonymous(): Promise<APIRequestContext> {
  return request.newContext({ extraHTTPHeaders: NO_KEEPALIVE });
}

export async function readEvent(http: APIRequestContext, baseUrl: string, eventId: string): Promise<EventView> {
  const response = await http.get(`${baseUrl}/api/events/${eventId}`);
  expect(response.status(), await response.text()).toBe(200);
  return eventView.parse(await response.json());
}

/** The event as each site shows it, keyed by site id. */
export async function eventOnEverySite(cluster: Cluster, http: APIRequestContext, eventId: string): Promise<Record<string, EventView>> {
  const views = await Promise.all(cluster.sites.map(async (s) => [s.siteId, await readEvent(http, s.url, eventId)] as const));
  return Object.fromEntries(views);
}

/** Waits until every site shows the event and `pick(view)` is the same on all of them and equals `expected`. */
export async function expectEverySite<T>(cluster: Cluster, http: APIRequestContext, eventId: string, pick: (view: EventView) => T, expected: T, timeoutMs = 20_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const views = await Promise.all(
          cluster.sites.map(async (s) => {
            const response = await http.get(`${s.url}/api/events/${eventId}`);
            if (response.status() !== 200) return `${s.siteId}: HTTP ${response.status()}`;
            return pick(eventView.parse(await response.json()));
          }),
        );
        return views;
      },
      { timeout: timeoutMs },
    )
    .toEqual(cluster.sites.map(() => expected));
}

export async function publishedOn(http: APIRequestContext, baseUrl: string) {
  const response = await http.get(`${baseUrl}/api/published`);
  expect(response.status()).toBe(200);
  return publishedAnswer.parse(await response.json()).published;
}

/** Asserts a JSON error answer: status, code, a message for people, and the JSON content type. */
/** What expectError reads: a Playwright APIResponse, or a fetch Response through `fromFetch`. */
export type ResponseLike = { status(): number; headers(): Record<string, string>; text(): Promise<string> };

export function fromFetch(response: Response): ResponseLike {
  const text = response.text();
  return { status: () => response.status, headers: () => Object.fromEntries(response.headers.entries()), text: () => text };
}

export async function expectError(response: ResponseLike, status: number, code: string | RegExp): Promise<ErrorBody> {
  const text = await response.text();
  expect(response.status(), text).toBe(status);
  expect(response.headers()["content-type"] ?? "").toContain("application/json");
  const body = errorBody.parse(JSON.parse(text));
  if (typeof code === "string") expect(body.error.code).toBe(code);
  else expect(body.error.code).toMatch(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

// ---- what each site has stored, read from its own database and blob folder ----

export type StoredState = {
  events: number;
  photos: number;
  ballots: number;
  rounds: number;
  decidedRounds: number;
  publishedEvents: number;
  /** Sum of montage versions over all events. */
  versionSum: number;
  transactions: number;
  prepared: number;
  idempotentAnswers: number;
  blobs: number;
};

/** Counts of what one site has durably stored (read-only second connection; WAL allows it). */
export function storedState(dataDir: string): StoredState {
  const db = new Database(join(dataDir, "site.db"), { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string): number => {
      const row: unknown = db.prepare(sql).get();
      return typeof row === "object" && row !== null && "n" in row ? Number(row.n ?? 0) : Number.NaN;
    };
    return {
      events: count(`SELECT COUNT(*) AS n FROM "Event"`),
      photos: count(`SELECT COUNT(*) AS n FROM "Photo"`),
      ballots: count(`SELECT COUNT(*) AS n FROM "Ballot"`),
      rounds: count(`SELECT COUNT(*) AS n FROM "Round"`),
      decidedRounds: count(`SELECT COUNT(*) AS n FROM "Round" WHERE outcome IS NOT NULL`),
      publishedEvents: count(`SELECT COUNT(*) AS n FROM "Event" WHERE publishedVersion IS NOT NULL`),
      versionSum: count(`SELECT COALESCE(SUM(montageVersion), 0) AS n FROM "Event"`),
      transactions: count(`SELECT COUNT(DISTINCT txId) AS n FROM "TxLog"`),
      prepared: count(`SELECT COUNT(*) AS n FROM "PreparedChange"`),
      idempotentAnswers: count(`SELECT COUNT(*) AS n FROM "IdempotentRequest"`),
      blobs: countFiles(join(dataDir, "blobs")),
    };
  } finally {
    db.close();
  }
}

function countFiles(dir: string): number {
  let n = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) n += countFiles(path);
    else if (!name.includes(".tmp")) n += 1;
  }
  return n;
}

/** Every site's stored state, keyed by site id. */
export function storedStateOfEverySite(cluster: Cluster): Record<string, StoredState> {
  return Object.fromEntries(cluster.sites.map((s) => [s.siteId, storedState(s.dataDir)]));
}

/** A deterministic photo-like image for tests: different seeds give different bytes. */
export { makePhoto } from "../../../lib/images/fixtures";
