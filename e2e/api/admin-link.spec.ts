// The admin link on four real sites through the public API (SPEC §1.14, §3, §5): shown once at
// creation, stored only as a hash (replicated with the event), and whoever opens it on any site
// gets the creator's rights — remove any photo, close the event to new contributors, reopen it.
// Closing and reopening are 2PC changes that reach every site; altered or guessed tokens are
// refused and change nothing.
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { test, expect } from "@playwright/test";
import Database from "better-sqlite3";
import { adminLinkAnswer, removePhotoAnswer, setClosedAnswer } from "../../lib/api/contract";
import { makePhoto } from "../../lib/images/fixtures";
import { Cluster } from "../support/cluster";
import { Person, anonymous, expectError, expectEverySite } from "./support/people";
import type { APIRequestContext } from "@playwright/test";

let cluster: Cluster;
let observer: APIRequestContext;
let ana: Person; // s0, creates the events
let ben: Person; // s1
let cleo: Person; // s2
let dan: Person; // s3: Ana on a new browser, holding only the admin link
let eve: Person; // s1: a newcomer

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await Cluster.start({ env: { BALLOT_WINDOW_MS: "60000" } });
  observer = await anonymous();
  [ana, ben, cleo, dan, eve] = await Promise.all([
    Person.join(cluster, "s0", "Ana"),
    Person.join(cluster, "s1", "Ben"),
    Person.join(cluster, "s2", "Cleo"),
    Person.join(cluster, "s3", "Ana again"),
    Person.join(cluster, "s1", "Eve"),
  ]);
});

test.afterAll(async () => {
  await Promise.all([ana, ben, cleo, dan, eve, observer].map((p) => p?.dispose()));
  await cluster?.stop();
});

let seed = 1400;
const photo = () => makePhoto({ seed: seed++, widthPx: 72, heightPx: 54 });

/** The token of an admin link (after "#"). */
function tokenOf(adminUrl: string | null): string {
  expect(adminUrl).not.toBeNull();
  const [, token] = (adminUrl ?? "").split("#");
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return token!;
}

function claim(person: Person, eventId: string, token: unknown) {
  return person.http.post(`/api/events/${eventId}/admin`, { data: { token } });
}

/** Every value a site stored about the event, as text: the token must appear in none of it. */
function everythingStored(dataDir: string): string {
  const db = new Database(join(dataDir, "site.db"), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>;
    return tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all(), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).join("\n");
  } finally {
    db.close();
  }
}

function storedAdminHash(dataDir: string, eventId: string): string | null {
  const db = new Database(join(dataDir, "site.db"), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT adminTokenHash FROM "Event" WHERE id = ?`).get(eventId) as { adminTokenHash: string | null } | undefined)?.adminTokenHash ?? null;
  } finally {
    db.close();
  }
}

async function setClosed(person: Person, eventId: string, closed: boolean) {
  const response = await person.http.post(`/api/events/${eventId}/${closed ? "close" : "reopen"}`);
  expect([200, 202], await response.text()).toContain(response.status());
  const answer = setClosedAnswer.parse(await response.json());
  if (answer.status === "pending") expect((await person.followTransaction(answer.txId)).status).toBe("committed");
  return answer;
}

test("the admin link is in the creation's answer once; every site stores only its hash, and a replay has none", async () => {
  const created = await ana.createEvent("Admin link shown once", { "idempotency-key": "admin-once-0001" });
  expect(created.adminUrl?.startsWith(`${created.url}/admin#`)).toBe(true);
  const token = tokenOf(created.adminUrl);
  const hash = createHash("sha256").update(token).digest("hex");
  await expectEverySite(cluster, observer, created.eventId, (v) => v.eventId, created.eventId);
  for (const site of cluster.sites) {
    expect(storedAdminHash(site.dataDir, created.eventId), site.siteId).toBe(hash);
    expect(everythingStored(site.dataDir).includes(token), `${site.siteId} stores no copy of the token`).toBe(false);
  }
  // The same request again (a double click, a lost answer): the same event, no second link.
  const replay = await ana.createEventRaw("Admin link shown once", { "idempotency-key": "admin-once-0001" });
  expect(replay.status()).toBe(201);
  const replayed = (await replay.json()) as { eventId: string; adminUrl: string | null };
  expect(replayed).toMatchObject({ eventId: created.eventId, adminUrl: null });
  // The event JSON never carries the link or its hash.
  const asAna = JSON.stringify(await ana.event(created.eventId));
  expect(asAna.includes(token) || asAna.includes(hash)).toBe(false);
});

test("altered, guessed, foreign and malformed tokens are refused on every site and grant nothing", async () => {
  const first = await ana.createEvent("Tokens refused");
  const other = await ana.createEvent("Another event");
  const token = tokenOf(first.adminUrl);
  const otherToken = tokenOf(other.adminUrl);
  await expectEverySite(cluster, observer, first.eventId, (v) => v.eventId, first.eventId);
  await expectEverySite(cluster, observer, other.eventId, (v) => v.eventId, other.eventId);
  const { photoId } = await ben.upload(first.eventId, await photo());
  await expectEverySite(cluster, observer, first.eventId, (v) => v.montage.version, 1);

  const flip = (c: string) => (c === "A" ? "B" : "A");
  const wrong: Array<[string, string]> = [
    ["the last character altered", `${token.slice(0, -1)}${flip(token.at(-1)!)}`],
    ["the first character altered", `${flip(token[0]!)}${token.slice(1)}`],
    ["truncated", token.slice(0, 40)],
    ["one character more", `${token}x`],
    ["another event's token", otherToken],
    ["a random guess", randomBytes(32).toString("base64url")],
    ["empty", ""],
    ["the stored hash", createHash("sha256").update(token).digest("hex")],
  ];
  for (const [what, guess] of wrong) {
    for (const person of [dan, eve]) await expectError(await claim(person, first.eventId, guess), 403, "admin_token_refused").catch((e: unknown) => {
      throw new Error(`${what} at ${person.siteId}: ${String(e)}`);
    });
  }
  await expectError(await claim(dan, first.eventId, 12345), 422, "invalid");
  await expectError(await claim(dan, first.eventId, "x".repeat(201)), 422, "invalid");
  await expectError(await dan.http.post(`/api/events/${first.eventId}/admin`, { data: Buffer.from("{not json"), headers: { "content-type": "application/json" } }), 400, "bad_request");
  await expectError(await claim(dan, "ev_short", token), 404, "not_found");
  await expectError(await claim(dan, "ev_zzzzzzzzzzzz", token), 404, "unknown_event");
  const nobody = await anonymous();
  await expectError(await nobody.post(`${cluster.url("s3")}/api/events/${first.eventId}/admin`, { data: { token } }), 401, "unauthorized");
  await nobody.dispose();

  // None of it gave Dan anything.
  expect((await dan.event(first.eventId)).viewer.hasCreatorRights).toBe(false);
  await expectError(await dan.http.post(`/api/events/${first.eventId}/close`), 403, "not_creator");
  await expectError(await dan.http.delete(`/api/events/${first.eventId}/photos/${photoId}`), 403, "not_yours");
  await expectEverySite(cluster, observer, first.eventId, (v) => ({ closed: v.closed, photos: v.photos.length }), { closed: false, photos: 1 });
});

test("the right token on another site gives the creator's rights: remove any photo, close (every site refuses newcomers), reopen", async () => {
  const created = await ana.createEvent("Creator on a new browser");
  const token = tokenOf(created.adminUrl);
  await expectEverySite(cluster, observer, created.eventId, (v) => v.eventId, created.eventId);
  const bens = await ben.upload(created.eventId, await photo());
  await expectEverySite(cluster, observer, created.eventId, (v) => v.montage.version, 1);
  await cleo.upload(created.eventId, await photo());
  await expectEverySite(cluster, observer, created.eventId, (v) => v.montage.version, 2);

  const claimed = await claim(dan, created.eventId, token);
  expect(claimed.status(), await claimed.text()).toBe(200);
  expect(adminLinkAnswer.parse(await claimed.json())).toEqual({ eventId: created.eventId, hasCreatorRights: true });
  const asDan = await dan.event(created.eventId);
  expect(asDan.viewer).toMatchObject({ hasCreatorRights: true, isContributor: false });
  expect(asDan.photos.every((p) => p.removable)).toBe(true);
  // The rights stay with Dan's session, not with the link: nobody else got them.
  expect((await eve.event(created.eventId)).viewer.hasCreatorRights).toBe(false);

  // Remove any photo.
  const removal = await dan.http.delete(`/api/events/${created.eventId}/photos/${bens.photoId}`);
  expect([200, 202], await removal.text()).toContain(removal.status());
  const removed = removePhotoAnswer.parse(await removal.json());
  if (removed.status === "pending") expect((await dan.followTransaction(removed.txId)).status).toBe("committed");
  await expectEverySite(cluster, observer, created.eventId, (v) => v.photos.map((p) => p.photoId).includes(bens.photoId), false);

  // Close: replicated to every site; a newcomer is refused anywhere, a contributor is not.
  const closing = await setClosed(dan, created.eventId, true);
  expect(closing).toMatchObject({ eventId: created.eventId, closed: true });
  await expectEverySite(cluster, observer, created.eventId, (v) => v.closed, true);
  for (const person of [eve, ben]) {
    const refused = await person.uploadRaw(created.eventId, await photo());
    await expectError(refused, 409, "event_closed");
  }
  expect((await eve.event(created.eventId)).viewer.canUpload).toBe(false);
  await cleo.upload(created.eventId, await photo());
  await expectEverySite(cluster, observer, created.eventId, (v) => ({ closed: v.closed, contributors: v.contributors.map((c) => c.name) }), { closed: true, contributors: ["Cleo"] });

  // Reopen: replicated; the newcomer is welcome again.
  await setClosed(dan, created.eventId, false);
  await expectEverySite(cluster, observer, created.eventId, (v) => v.closed, false);
  await eve.upload(created.eventId, await photo());
  await expectEverySite(cluster, observer, created.eventId, (v) => v.contributors.map((c) => c.name), ["Cleo", "Eve"]);
});

test("closing: only with the creator's rights, and not once published; the creator's own cookie works without the link", async () => {
  const created = await ana.createEvent("Closing rules");
  await expectEverySite(cluster, observer, created.eventId, (v) => v.eventId, created.eventId);
  await expectError(await ben.http.post(`/api/events/${created.eventId}/close`), 403, "not_creator");
  await expectError(await ben.http.post(`/api/events/${created.eventId}/reopen`), 403, "not_creator");
  await expectError(await ana.http.post(`/api/events/ev_zzzzzzzzzzzz/close`), 404, "unknown_event");
  await expectError(await ana.http.post(`/api/events/nope/close`), 404, "not_found");
  const nobody = await anonymous();
  await expectError(await nobody.post(`${cluster.url("s0")}/api/events/${created.eventId}/close`), 401, "unauthorized");
  await nobody.dispose();
  await expectEverySite(cluster, observer, created.eventId, (v) => v.closed, false);

  await setClosed(ana, created.eventId, true);
  await expectEverySite(cluster, observer, created.eventId, (v) => v.closed, true);
  // Closed, and nobody has a photo yet: even the creator is a newcomer to the photo set.
  await expectError(await ana.uploadRaw(created.eventId, await photo()), 409, "event_closed");
  await setClosed(ana, created.eventId, false);
  const { montageVersion } = await ana.upload(created.eventId, await photo());
  expect(montageVersion).toBe(1);
  await expectEverySite(cluster, observer, created.eventId, (v) => v.montage.version, 1);
  await ana.vote(created.eventId, 1, "accept");
  await expectEverySite(cluster, observer, created.eventId, (v) => v.status, "published", 30_000);
  await expectError(await ana.http.post(`/api/events/${created.eventId}/close`), 409, "published");
});
