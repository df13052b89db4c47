// Bad input through the public API of four real sites (SPEC §4.7): every request below gets a
// clear 4xx JSON error, and afterwards EVERY site has stored exactly what it had before —
// events, photos, montage versions, ballots, rounds, transactions, blobs.
import { test, expect, type APIRequestContext } from "@playwright/test";
import { sealData } from "iron-session";
import { makeBmp, makeFakeJpeg, makeGif, makeOversizedJpeg, makePhoto, makePixelBombPng, makeTruncatedJpeg } from "../../lib/images/fixtures";
import { Cluster } from "../support/cluster";
import { Person, anonymous, expectError, expectEverySite, fromFetch, publishedOn, readEvent, storedStateOfEverySite } from "./support/people";

/** Small, so an oversized body is cheap to send; still larger than every fixture below. */
const MAX_PHOTO_BYTES = 100_000;
/** The route reads at most this much more than a photo for the multipart envelope. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

let cluster: Cluster;
let observer: APIRequestContext;
let ana: Person; // s0: two photos (her limit)
let ben: Person; // s1: one photo, so his uploads reach the image checks
let cleo: Person; // s2: joined, no photo (the event is full of contributors)
let eventId: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await Cluster.start({ env: { MAX_PHOTO_BYTES: String(MAX_PHOTO_BYTES), MAX_PHOTOS_PER_PERSON: "2", MAX_CONTRIBUTORS: "2", BALLOT_WINDOW_MS: "60000" } });
  observer = await anonymous();
  [ana, ben, cleo] = await Promise.all([Person.join(cluster, "s0", "Ana"), Person.join(cluster, "s1", "Ben"), Person.join(cluster, "s2", "Cleo")]);
  ({ eventId } = await ana.createEvent("Bad input changes nothing"));
  await ana.upload(eventId, await makePhoto({ seed: 1 }));
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 1);
  await ana.upload(eventId, await makePhoto({ seed: 2 }));
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 2);
  await ben.upload(eventId, await makePhoto({ seed: 3 }));
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 3);
  // Every site has built its montages, so nothing is still being written when we compare.
  for (const site of cluster.sites) {
    for (const size of ["full", "preview"]) expect((await ana.get(`${site.url}/api/events/${eventId}/montage?v=3&size=${size}`)).status()).toBe(200);
  }
});

test.afterAll(async () => {
  await Promise.all([ana, ben, cleo, observer].map((p) => p?.dispose()));
  await cluster?.stop();
});

/** Everything a site shows or stores that bad input must not change. */
async function everySiteState() {
  const stored = storedStateOfEverySite(cluster);
  return Promise.all(
    cluster.sites.map(async (site) => {
      const view = await readEvent(observer, site.url, eventId);
      return {
        site: site.siteId,
        event: { title: view.title, status: view.status, version: view.montage.version, photos: view.photos.map((p) => p.photoId), round: view.round },
        published: (await publishedOn(observer, site.url)).length,
        stored: stored[site.siteId],
      };
    }),
  );
}

let before: Awaited<ReturnType<typeof everySiteState>>;
test.beforeEach(async () => {
  before = await everySiteState();
  expect(before.map((s) => s.event.version)).toEqual([3, 3, 3, 3]);
});
test.afterEach(async () => {
  expect(await everySiteState(), "bad input changed a site").toEqual(before);
});

/** A raw JSON-typed body (a Buffer: Playwright would re-encode a string that is not valid JSON). */
const json = (person: Person, path: string, body: string) => person.http.post(path, { data: Buffer.from(body), headers: { "content-type": "application/json" } });

test("malformed JSON is a 400", async () => {
  for (const body of ['{"title": "unterminated"', "not json at all", ""]) {
    await expectError(await json(ana, "/api/events", body), 400, "bad_request");
    await expectError(await json(ana, `/api/events/${eventId}/ballots`, body), 400, "bad_request");
    await expectError(await json(cleo, "/api/session", body), 400, "bad_request");
  }
});

test("wrong types are a 422 naming the field", async () => {
  for (const title of [42, ["a"], { text: "x" }, null, true]) {
    const body = await expectError(await ana.createEventRaw(title), 422, "invalid");
    expect(Object.keys((body.error.details?.fields as object | undefined) ?? {})).toEqual(["title"]);
  }
  await expectError(await json(ana, "/api/events", "[]"), 422, "invalid");
  await expectError(await json(ana, "/api/events", '"a string"'), 422, "invalid");
  await expectError(await cleo.http.post("/api/session", { data: { name: 7 } }), 422, "invalid");
  for (const ballot of [
    { montageVersion: "3", decision: "accept" },
    { montageVersion: 3, decision: "maybe" },
    { montageVersion: 2.5, decision: "accept" },
    { montageVersion: 0, decision: "accept" },
    { montageVersion: -3, decision: "reject" },
  ]) {
    await expectError(await ana.voteRaw(eventId, ballot), 422, "invalid");
  }
});

test("missing fields are a 422 (or 400 for a photo without its multipart field)", async () => {
  await expectError(await ana.http.post("/api/events", { data: {} }), 422, "invalid");
  await expectError(await ana.createEventRaw("   "), 422, "invalid"); // only spaces: empty once trimmed
  await expectError(await cleo.http.post("/api/session", { data: {} }), 422, "invalid");
  await expectError(await ana.voteRaw(eventId, {}), 422, "invalid");
  await expectError(await ana.voteRaw(eventId, { decision: "accept" }), 422, "invalid");
  await expectError(await ana.voteRaw(eventId, { montageVersion: 3 }), 422, "invalid");
  await expectError(await ana.http.post(`/api/events/${eventId}/photos`, { multipart: { picture: { name: "a.jpg", mimeType: "image/jpeg", buffer: Buffer.from(await makePhoto({ seed: 9 })) } } }), 400, "bad_request");
  await expectError(await ana.http.post(`/api/events/${eventId}/photos`, { multipart: { photo: "just a text field" } }), 400, "bad_request");
  await expectError(await ana.http.post(`/api/events/${eventId}/photos`, { data: { photo: "x" } }), 400, "bad_request"); // JSON, not multipart
});

test("an over-long title or name is a 422 with the limit in the message", async () => {
  const body = await expectError(await ana.createEventRaw("x".repeat(81)), 422, "invalid");
  expect(JSON.stringify(body.error.details)).toContain("At most 80 characters.");
  await expectError(await ana.createEventRaw("😀".repeat(81)), 422, "invalid");
  await expectError(await cleo.http.post("/api/session", { data: { name: "n".repeat(41) } }), 422, "invalid");
  // A body far over the JSON limit is refused before it is parsed.
  await expectError(await ana.createEventRaw("x".repeat(10_000)), 413, "too_large");
});

test("an unknown or malformed event id is a 404 on every site, for every operation", async () => {
  for (const id of ["ev_zzzzzzzzzzzz", "nope", "ev_ZZZZZZZZZZZZ"]) {
    for (const site of cluster.sites) {
      await expectError(await observer.get(`${site.url}/api/events/${id}`), 404, "not_found");
      await expectError(await ana.get(`${site.url}/api/events/${id}/montage`), 404, "not_found");
    }
    await expectError(await ana.uploadRaw(id, await makePhoto({ seed: 10 })), 404, "not_found");
    await expectError(await ana.voteRaw(id, { montageVersion: 1, decision: "accept" }), 404, /not_found|unknown_event/);
  }
  await expectError(await ana.get(`/api/photos/ph_zzzzzzzzzzzz/image`), 404, "not_found");
  await expectError(await ana.get(`/api/photos/ph_zzzzzzzzzzzz/raw`), 404, "not_found");
  await expectError(await ana.get(`/api/transactions/not-a-transaction`), 400, "bad_request");
  await expectError(await ana.get(`/api/transactions/s9.00000000-0000-0000-0000-000000000000`), 404, "not_found");
  // A well-formed id this site never minted or logged is never "pending".
  const unknownTx = await ana.get(`/api/transactions/s0.00000000-0000-0000-0000-000000000000`);
  expect(unknownTx.status()).toBe(200);
  expect(await unknownTx.json()).toMatchObject({ status: "aborted" });
});

test("not a photo: a text file named .jpg and an empty file are 415", async () => {
  const text = new TextEncoder().encode("Dear Ana, this is a letter, not a photo.\n");
  const refused = await expectError(await ben.uploadRaw(eventId, text, { filename: "holiday.jpg", mimeType: "image/jpeg" }), 415, "image_type_unsupported");
  expect(refused.error.message).toMatch(/JPEG, PNG, WebP, AVIF or HEIC/);
  await expectError(await ben.uploadRaw(eventId, new Uint8Array(0), { filename: "empty.jpg" }), 415, "image_type_unsupported");
});

test("GIF and BMP are 415", async () => {
  await expectError(await ben.uploadRaw(eventId, await makeGif(), { filename: "a.gif", mimeType: "image/gif" }), 415, "image_type_unsupported");
  await expectError(await ben.uploadRaw(eventId, await makeGif(2), { filename: "disguised.jpg", mimeType: "image/jpeg" }), 415, "image_type_unsupported");
  await expectError(await ben.uploadRaw(eventId, makeBmp(), { filename: "a.bmp", mimeType: "image/bmp" }), 415, "image_type_unsupported");
});

test("a fake JPEG (JPEG magic bytes, then text) and a truncated JPEG are 422", async () => {
  await expectError(await ben.uploadRaw(eventId, makeFakeJpeg()), 422, /image_undecodable|image_too_small/);
  await expectError(await ben.uploadRaw(eventId, await makeTruncatedJpeg()), 422, "image_undecodable");
});

test("a pixel bomb (a small PNG of 400 megapixels) is a 422", async () => {
  const bomb = makePixelBombPng();
  expect(bomb.length).toBeLessThan(MAX_PHOTO_BYTES);
  await expectError(await ben.uploadRaw(eventId, bomb, { filename: "bomb.png", mimeType: "image/png" }), 422, "image_too_many_pixels");
});

test("an oversized photo is a 413, whether it is just over the limit or far over it", async () => {
  await expectError(await ben.uploadRaw(eventId, await makeOversizedJpeg(MAX_PHOTO_BYTES + 1)), 413, "image_too_large");
  await expectError(await ben.uploadRaw(eventId, await makeOversizedJpeg(MAX_PHOTO_BYTES + MULTIPART_OVERHEAD_BYTES + 1)), 413, "too_large");
  await expectError(await ben.uploadRaw(eventId, await makeOversizedJpeg(4 * MAX_PHOTO_BYTES)), 413, "too_large");
});

test("limits: a fourth photo from someone at their limit, a third contributor — 409", async () => {
  await expectError(await ana.uploadRaw(eventId, await makePhoto({ seed: 11 })), 409, "photo_limit");
  await expectError(await cleo.uploadRaw(eventId, await makePhoto({ seed: 12 })), 409, "contributor_limit");
});

test("no session: writes are 401", async () => {
  const none = observer;
  await expectError(await none.post(`${cluster.url("s1")}/api/events`, { data: { title: "x" } }), 401, "unauthorized");
  await expectError(await none.post(`${cluster.url("s1")}/api/events/${eventId}/photos`, { multipart: { photo: { name: "a.jpg", mimeType: "image/jpeg", buffer: Buffer.from(await makePhoto({ seed: 13 })) } } }), 401, "unauthorized");
  await expectError(await none.post(`${cluster.url("s1")}/api/events/${eventId}/ballots`, { data: { montageVersion: 3, decision: "accept" } }), 401, "unauthorized");
});

test("a forged or tampered session cookie is no session: GET says nobody, writes are 401", async () => {
  const real = await ana.cookie();
  const middle = Math.floor(real.length / 2);
  const tampered = real.slice(0, middle) + (real[middle] === "A" ? "B" : "A") + real.slice(middle + 1);
  const wrongPassword = await sealData({ userId: ana.userId, name: "Ana" }, { password: "a-password-that-is-not-the-sites-one!!" });
  const unsealed = encodeURIComponent(JSON.stringify({ userId: ana.userId, name: "Ana" }));
  const url = cluster.url("s0");
  for (const value of [tampered, wrongPassword, unsealed, "Fe26.2**garbage", ""]) {
    const headers = { cookie: `groupshot=${value}` };
    const session = await fetch(`${url}/api/session`, { headers });
    expect(session.status).toBe(200);
    expect(await session.json()).toEqual({ user: null });
    await expectError(fromFetch(await fetch(`${url}/api/events`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ title: "forged" }) })), 401, "unauthorized");
    const form = new FormData();
    form.set("photo", new Blob([Buffer.from(await makePhoto({ seed: 14 }))], { type: "image/jpeg" }), "a.jpg");
    await expectError(fromFetch(await fetch(`${url}/api/events/${eventId}/photos`, { method: "POST", headers, body: form })), 401, "unauthorized");
    await expectError(fromFetch(await fetch(`${url}/api/events/${eventId}/ballots`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ montageVersion: 3, decision: "accept" }) })), 401, "unauthorized");
    // Nor can it see a contributor's images.
    expect((await fetch(`${url}/api/events/${eventId}/montage`, { headers })).status).toBe(403);
  }
  // The real cookie still works (a positive control for the refusals above).
  expect(await (await fetch(`${url}/api/session`, { headers: { cookie: `groupshot=${real}` } })).json()).toEqual({ user: { userId: ana.userId, name: "Ana" } });
});

test("a cross-origin POST (a foreign Origin header) is a 403, even with a valid cookie", async () => {
  const origin = { origin: "https://evil.example" };
  await expectError(await ana.createEventRaw("cross-site", origin), 403, "forbidden");
  await expectError(await ana.uploadRaw(eventId, await makePhoto({ seed: 15 }), { headers: origin }), 403, "forbidden");
  await expectError(await ana.http.post(`/api/events/${eventId}/ballots`, { data: { montageVersion: 3, decision: "accept" }, headers: origin }), 403, "forbidden");
  await expectError(await ana.http.post("/api/session", { data: { name: "Mallory" }, headers: origin }), 403, "forbidden");
  await expectError(await ana.createEventRaw("cross-site", { origin: "null" }), 403, "forbidden");
  // The same port on another host is another origin too.
  await expectError(await ana.createEventRaw("cross-site", { origin: cluster.url("s0").replace("127.0.0.1", "localhost") }), 403, "forbidden");
  expect((await ana.event(eventId)).viewer.name).toBe("Ana");
});

test("an unknown API path is a JSON 404, for every method", async () => {
  for (const path of ["/api/nope", "/api/events/ev_zzzzzzzzzzzz/unknown", "/api/internal", "/api/v2/events"]) {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
      const response = await ana.http.fetch(path, { method, data: method === "GET" ? undefined : { title: "x" } });
      await expectError(response, 404, "not_found");
    }
  }
});
