// Serves the public API from fixture data with page.route, so the screens can be checked
// while the real routes are still being written. Answers follow lib/api/contract.ts.
import type { Page, Route } from "@playwright/test";
import type { CreateEventAnswer, EventView, HealthAnswer, PublishedItem, SessionAnswer, TransactionAnswer } from "../../lib/api/contract";
import { montageSvg, photoSvg } from "./fixtures";

export type Reply = { status: number; body: unknown };
export type UploadReply = Reply | "hang";

export type MockApi = {
  session: SessionAnswer | null;
  events: Map<string, EventView>;
  published: PublishedItem[];
  health: HealthAnswer;
  log: { lines: Array<{ time: string; level: string; msg: string; txId: string | null }> } | "missing";
  transactions: Map<string, TransactionAnswer>;
  createEvent: CreateEventAnswer | null;
  /** The answer to POST /ballots; null: record the ballot and answer 200. */
  ballot: Reply | null;
  /** Called after a ballot is recorded, to change the event the next GET returns. */
  afterBallot: ((decision: "accept" | "reject") => void) | null;
  upload: (fileName: string) => UploadReply;
  requests: string[];
};

export function newMockApi(parts: Partial<MockApi> & Pick<MockApi, "health">): MockApi {
  return {
    session: null,
    events: new Map(),
    published: [],
    log: { lines: [] },
    transactions: new Map(),
    createEvent: null,
    ballot: null,
    afterBallot: null,
    upload: () => ({ status: 500, body: { error: { code: "internal", message: "No upload answer in this test." } } }),
    requests: [],
    ...parts,
  };
}

const error = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

async function json(route: Route, reply: Reply): Promise<void> {
  await route.fulfill({ status: reply.status, contentType: "application/json", body: JSON.stringify(reply.body) });
}

async function svg(route: Route, body: string): Promise<void> {
  await route.fulfill({ status: 200, contentType: "image/svg+xml", body, headers: { "cache-control": "no-store" } });
}

function uploadedFileName(body: Buffer | null): string {
  const match = body?.toString("latin1").match(/filename="([^"]*)"/);
  return match?.[1] ?? "photo";
}

/**
 * Replaces EventSource with a stand-in that opens at once and lets the test push messages
 * (`window.__pushStreamMessage`), because page.route cannot hold a stream open.
 */
export async function installFakeEventSource(page: Page): Promise<void> {
  await page.addInitScript(() => {
    type Listener = ((event: MessageEvent<string>) => void) | null;
    const sources: FakeEventSource[] = [];
    class FakeEventSource {
      static readonly CONNECTING = 0;
      static readonly OPEN = 1;
      static readonly CLOSED = 2;
      readyState = 0;
      onopen: ((event: Event) => void) | null = null;
      onmessage: Listener = null;
      onerror: ((event: Event) => void) | null = null;
      constructor(readonly url: string) {
        sources.push(this);
        setTimeout(() => {
          this.readyState = 1;
          this.onopen?.(new Event("open"));
        }, 0);
      }
      close() {
        this.readyState = 2;
      }
    }
    Object.assign(window, {
      EventSource: FakeEventSource,
      __pushStreamMessage: (data: unknown) => {
        for (const source of sources) if (source.readyState === 1) source.onmessage?.(new MessageEvent("message", { data: JSON.stringify(data) }));
      },
    });
  });
}

export async function pushChanged(page: Page, eventId: string, reason: string): Promise<void> {
  await page.evaluate(
    ([id, why]) => (window as unknown as { __pushStreamMessage: (data: unknown) => void }).__pushStreamMessage({ type: "changed", eventId: id, reason: why }),
    [eventId, reason] as const,
  );
}

export async function mockApi(page: Page, api: MockApi): Promise<void> {
  await installFakeEventSource(page);
  await page.route("**/api/**", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const method = request.method();
    const path = url.pathname;
    api.requests.push(`${method} ${path}`);
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent); // ["api", ...]

    if (path === "/api/session" && method === "GET") return json(route, { status: 200, body: { user: api.session } });
    if (path === "/api/session" && method === "POST") {
      const name = String((request.postDataJSON() as { name?: unknown } | null)?.name ?? "").trim();
      api.session = { userId: `u-${name.toLowerCase().replace(/\W+/g, "-")}`, name };
      return json(route, { status: 200, body: api.session });
    }
    if (path === "/api/health") return json(route, { status: 200, body: api.health });
    if (path === "/api/status/log") return api.log === "missing" ? json(route, error(404, "not_found", "Not found.")) : json(route, { status: 200, body: api.log });
    if (path === "/api/published") return json(route, { status: 200, body: { published: api.published } });
    if (path === "/api/events" && method === "POST") {
      if (!api.createEvent) return json(route, error(500, "internal", "No create answer in this test."));
      return json(route, { status: api.createEvent.status === "pending" ? 202 : 201, body: api.createEvent });
    }
    if (parts[1] === "transactions" && parts[2]) {
      const tx = api.transactions.get(parts[2]);
      return tx ? json(route, { status: 200, body: tx }) : json(route, error(404, "not_found", "No such transaction."));
    }
    if (parts[1] === "photos" && parts[2]) {
      const index = Number(parts[2].match(/p(\d+)$/)?.[1] ?? "1") - 1;
      return svg(route, photoSvg(index));
    }
    if (parts[1] === "events" && parts[2]) {
      const eventId = parts[2];
      const event = api.events.get(eventId);
      const rest = parts[3];
      if (rest === "montage") {
        const count = event?.montage.photoCount ?? api.published.find((p) => p.eventId === eventId)?.photoCount ?? 4;
        return svg(route, montageSvg(count));
      }
      if (!event) return json(route, error(404, "not_found", "There is no event with this id on this site."));
      if (rest === undefined && method === "GET") return json(route, { status: 200, body: event });
      if (rest === "ballots" && method === "POST") {
        if (api.ballot) return json(route, api.ballot);
        const body = request.postDataJSON() as { montageVersion: number; decision: "accept" | "reject" };
        api.afterBallot?.(body.decision);
        return json(route, { status: 200, body: { recorded: true, decision: body.decision, montageVersion: body.montageVersion, deadline: event.round?.deadline ?? new Date(Date.now() + 120_000).toISOString() } });
      }
      if (rest === "photos" && method === "POST") {
        const reply = api.upload(uploadedFileName(request.postDataBuffer()));
        if (reply === "hang") return; // never answered: the page shows the file as still processing
        return json(route, reply);
      }
    }
    return json(route, error(404, "not_found", `No mock for ${method} ${path}.`));
  });
}
