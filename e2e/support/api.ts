// A person using the public JSON API (SPEC §5) from a script: their own cookie, the site they
// first reached, and one typed function per operation. Shared by the crash scenarios and the
// chaos runner. A request that gets no answer (the site died, a timeout) throws NoAnswer,
// which is *indefinite*: the request may still have taken effect.
import { z } from "zod";
import {
  addPhotoAnswer,
  ballotAnswer,
  createEventAnswer,
  eventView,
  healthAnswer,
  publishedAnswer,
  removePhotoAnswer,
  sessionAnswer,
  transactionAnswer,
  type EventView,
  type HealthAnswer,
} from "../../lib/api/contract";

export class NoAnswer extends Error {
  override name = "NoAnswer";
  constructor(readonly what: string, readonly reason: string) {
    super(`${what}: no answer (${reason})`);
  }
}

/** An answer: the status and the body, parsed with `schema` when the status is 2xx. */
export type Answer<T> = { status: number; ok: true; data: T } | { status: number; ok: false; code: string; message: string };

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type RequestOptions = { idempotencyKey?: string; timeoutMs?: number };

const DEFAULT_TIMEOUT_MS = 20_000;

export class Person {
  cookie: string | undefined;
  userId: string | undefined;

  constructor(
    readonly name: string,
    /** The site this person uses. */
    public siteUrl: string,
  ) {}

  async join(options: RequestOptions = {}): Promise<this> {
    const answer = await this.call(sessionAnswer, "POST", "/api/session", { json: { name: this.name }, ...options });
    if (!answer.ok) throw new Error(`${this.name} could not join: ${answer.status} ${answer.message}`);
    this.userId = answer.data.userId;
    return this;
  }

  createEvent(title: string, options: RequestOptions = {}) {
    return this.call(createEventAnswer, "POST", "/api/events", { json: { title }, ...options });
  }

  addPhoto(eventId: string, bytes: Uint8Array, options: RequestOptions & { fileName?: string } = {}) {
    const form = new FormData();
    form.append("photo", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), options.fileName ?? "photo.jpg");
    return this.call(addPhotoAnswer, "POST", `/api/events/${eventId}/photos`, { form, ...options });
  }

  removePhoto(eventId: string, photoId: string, options: RequestOptions & { siteUrl?: string } = {}) {
    return this.call(removePhotoAnswer, "DELETE", `/api/events/${eventId}/photos/${photoId}`, options);
  }

  vote(eventId: string, montageVersion: number, decision: "accept" | "reject", options: RequestOptions = {}) {
    return this.call(ballotAnswer, "POST", `/api/events/${eventId}/ballots`, { json: { montageVersion, decision }, ...options });
  }

  /** The event as `siteUrl` (default: this person's site) sees it, with this person's cookie. */
  event(eventId: string, siteUrl?: string, options: RequestOptions = {}) {
    return this.call(eventView, "GET", `/api/events/${eventId}`, { siteUrl, ...options });
  }

  transaction(txId: string, siteUrl?: string, options: RequestOptions = {}) {
    return this.call(transactionAnswer, "GET", `/api/transactions/${txId}`, { siteUrl, ...options });
  }

  /** Waits until `txId` is decided at this person's site (its coordinator); throws unless committed. */
  async committed(txId: string, timeoutMs = 60_000): Promise<void> {
    const deadlineMs = Date.now() + timeoutMs;
    for (;;) {
      const tx = await this.transaction(txId).catch(() => undefined);
      if (tx?.ok && tx.data.status === "committed") return;
      if (tx?.ok && tx.data.status === "aborted") throw new Error(`${txId} aborted: ${tx.data.reason ?? ""}`);
      if (Date.now() > deadlineMs) throw new Error(`${txId} not decided within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Creates an event and waits until it is committed (through a "pending" answer on a slow day). */
  async createCommittedEvent(title: string): Promise<string> {
    const answer = await this.createEvent(title);
    if (!answer.ok) throw new Error(`create event: ${answer.status} ${answer.message}`);
    if (answer.data.status !== "committed") await this.committed(answer.data.txId);
    return answer.data.eventId;
  }

  /** Adds a photo and waits until it is committed; returns its id. */
  async addCommittedPhoto(eventId: string, bytes: Uint8Array): Promise<string> {
    const answer = await this.addPhoto(eventId, bytes);
    if (!answer.ok) throw new Error(`add photo: ${answer.status} ${answer.code} ${answer.message}`);
    if (answer.data.status !== "committed") await this.committed(answer.data.txId);
    return answer.data.photoId;
  }

  async call<S extends z.ZodType>(
    schema: S,
    method: "GET" | "POST" | "DELETE",
    path: string,
    options: RequestOptions & { json?: unknown; form?: FormData; siteUrl?: string } = {},
  ): Promise<Answer<z.output<S>>> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.cookie) headers.cookie = this.cookie;
    if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.form) {
      body = options.form;
    }
    const url = `${options.siteUrl ?? this.siteUrl}${path}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
      text = await response.text();
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      throw new NoAnswer(`${method} ${url}`, `${error instanceof Error ? error.message : String(error)}${cause}`);
    }
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("groupshot="));
    if (setCookie) this.cookie = setCookie.split(";")[0];
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.status >= 200 && response.status < 300) {
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new Error(`${method} ${url}: the ${response.status} answer does not match the contract: ${text.slice(0, 300)}`);
      return { status: response.status, ok: true, data: parsed.data };
    }
    const error = errorBody.safeParse(json);
    return error.success
      ? { status: response.status, ok: false, code: error.data.error.code, message: error.data.error.message }
      : { status: response.status, ok: false, code: `http_${response.status}`, message: text.slice(0, 300) };
  }
}

/** GET /api/health of a site, parsed; throws NoAnswer if the site does not answer. */
export async function health(siteUrl: string, timeoutMs = 10_000): Promise<HealthAnswer> {
  let response: Response;
  try {
    response = await fetch(`${siteUrl}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new NoAnswer(`GET ${siteUrl}/api/health`, error instanceof Error ? error.message : String(error));
  }
  return healthAnswer.parse(await response.json());
}

export async function published(siteUrl: string, timeoutMs = 15_000) {
  const response = await fetch(`${siteUrl}/api/published`, { signal: AbortSignal.timeout(timeoutMs) });
  return publishedAnswer.parse(await response.json()).published;
}

/** What every site must agree on about an event (SPEC §4.6), from one site's view. */
export function replicatedView(view: EventView) {
  return {
    eventId: view.eventId,
    title: view.title,
    homeSite: view.homeSite,
    montageVersion: view.montage.version,
    photos: view.photos.map((p) => ({ photoId: p.photoId, version: p.version, uploaderId: p.uploaderId, originSite: p.originSite })),
    status: view.status,
    round: view.round && { version: view.round.version, outcome: view.round.outcome, ballots: view.round.ballots.map((b) => `${b.userId}:${b.decision}`).sort() },
    published: view.published?.version ?? null,
  };
}
