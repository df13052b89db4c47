// Four real sites driven through the public API only: events, photos, montages, duplicates,
// Idempotency-Key, image visibility and a unanimous publish — each asserted on EVERY site.
import { test, expect, type APIRequestContext } from "@playwright/test";
import sharp from "sharp";
import { addPhotoAnswer, eventStreamMessage, transactionAnswer } from "../../lib/api/contract";
import { makeJpegWithMetadata, makePhoto } from "../../lib/images/fixtures";
import { Cluster } from "../support/cluster";
import { Person, anonymous, eventOnEverySite, expectError, expectEverySite, publishedOn, readEvent, storedStateOfEverySite } from "./support/people";

let cluster: Cluster;
let observer: APIRequestContext;
/** One person per site: each joined that site and keeps using it. */
let ana: Person; // s0
let ben: Person; // s1
let cleo: Person; // s2
let dev: Person; // s3

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // A long window: nothing here waits for a timeout, and a publish must not race one.
  cluster = await Cluster.start({ env: { BALLOT_WINDOW_MS: "60000" } });
  observer = await anonymous();
  [ana, ben, cleo, dev] = await Promise.all([Person.join(cluster, "s0", "Ana"), Person.join(cluster, "s1", "Ben"), Person.join(cluster, "s2", "Cleo"), Person.join(cluster, "s3", "Dev")]);
});

test.afterAll(async () => {
  await Promise.all([ana, ben, cleo, dev, observer].map((p) => p?.dispose()));
  await cluster?.stop();
});

let seed = 100;
const photo = () => makePhoto({ seed: seed++, widthPx: 80, heightPx: 60 });

/** The montage of `version` from every site, as `viewer` (a contributor, or anyone once published). */
async function montageFromEverySite(viewer: APIRequestContext, eventId: string, query: string): Promise<Buffer[]> {
  return Promise.all(
    cluster.sites.map(async (s) => {
      const response = await viewer.get(`${s.url}/api/events/${eventId}/montage?${query}`);
      expect(response.status(), `${s.siteId}: ${await response.text().catch(() => "")}`).toBe(200);
      expect(response.headers()["content-type"]).toBe("image/jpeg");
      return response.body();
    }),
  );
}

test("an event created at one site is visible on all four: same title, home site, status open", async () => {
  const created = await ana.createEvent("Picnic at the lake");
  expect(created).toMatchObject({ status: "committed", homeSite: "s0" });
  expect(created.url).toContain(`/e/${created.eventId}`);
  expect(created.sites).toEqual(cluster.sites.map((s) => ({ siteId: s.siteId, acknowledged: true })));

  const other = await cleo.createEvent("Cleo's birthday");
  expect(other.homeSite).toBe("s2");

  for (const [event, title, home] of [
    [created, "Picnic at the lake", "s0"],
    [other, "Cleo's birthday", "s2"],
  ] as const) {
    await expectEverySite(cluster, observer, event.eventId, (v) => ({ title: v.title, homeSite: v.homeSite, status: v.status, version: v.montage.version, photos: v.photos.length, round: v.round }), {
      title,
      homeSite: home,
      status: "open",
      version: 0,
      photos: 0,
      round: null,
    });
  }
  const views = await eventOnEverySite(cluster, observer, created.eventId);
  for (const [siteId, view] of Object.entries(views)) {
    expect(view.siteId).toBe(siteId);
    expect(view.creatorName).toBe("Ana");
    expect(view.createdAt).toBe(views.s0?.createdAt);
  }
});

test("GET /api/transactions/:txId tells a transaction's kind and outcome on every site", async () => {
  const created = await dev.createEvent("Followed transaction");
  const added = await dev.upload(created.eventId, await photo());
  for (const [txId, kind] of [
    [created.txId, "create-event"],
    [added.txId, "add-photo"],
  ] as const) {
    for (const site of cluster.sites) {
      await expect
        .poll(async () => {
          const response = await observer.get(`${site.url}/api/transactions/${txId}`);
          return response.status() === 200 ? transactionAnswer.parse(await response.json()) : response.status();
        })
        .toEqual({ txId, kind, status: "committed", reason: null, sites: cluster.sites.map((s) => ({ siteId: s.siteId, acknowledged: true })) });
    }
  }
});

test("photos uploaded at different sites: the same version, photos and montage bytes on all four", async () => {
  const { eventId } = await ana.createEvent("Three sites, one montage");
  const a = await ana.upload(eventId, await photo());
  expect(a.montageVersion).toBe(1);
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 1);
  const b = await ben.upload(eventId, await photo());
  expect(b.montageVersion).toBe(2);
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 2);
  const d = await dev.upload(eventId, await photo());
  expect(d.montageVersion).toBe(3);

  await expectEverySite(cluster, observer, eventId, (v) => ({ version: v.montage.version, count: v.montage.photoCount, photos: v.photos.map((p) => [p.photoId, p.uploaderName, p.originSite, p.version]) }), {
    version: 3,
    count: 3,
    photos: [
      [a.photoId, "Ana", "s0", 1],
      [b.photoId, "Ben", "s1", 2],
      [d.photoId, "Dev", "s3", 3],
    ],
  });
  await expectEverySite(cluster, observer, eventId, (v) => v.contributors.map((c) => [c.name, c.photoCount]), [
    ["Ana", 1],
    ["Ben", 1],
    ["Dev", 1],
  ]);

  // Determinism: every site builds byte-identical montages for the same version.
  for (const query of ["v=3&size=full", "v=3&size=preview", "v=1&size=full"]) {
    const images = await montageFromEverySite(ana.http, eventId, query);
    for (const image of images.slice(1)) expect(image.equals(images[0]!), query).toBe(true);
  }
  const full = await sharp((await montageFromEverySite(ana.http, eventId, "v=3&size=full"))[0]).metadata();
  const preview = await sharp((await montageFromEverySite(ana.http, eventId, "v=3&size=preview"))[0]).metadata();
  expect(full.format).toBe("jpeg");
  expect(full.width).toBeGreaterThanOrEqual(preview.width ?? 0);
});

test("identical bytes uploaded twice are a duplicate: nothing new is stored, the version stays", async () => {
  const { eventId } = await ana.createEvent("Duplicates");
  const bytes = await photo();
  const first = await ana.upload(eventId, bytes);
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 1);
  // Let every site finish building montage v1 so the blob counts below are settled.
  await montageFromEverySite(ana.http, eventId, "v=1&size=full");
  const before = storedStateOfEverySite(cluster);

  const again = await ana.uploadRaw(eventId, bytes, { filename: "a-different-name.jpg" });
  expect(again.status()).toBe(200);
  expect(await again.json()).toMatchObject({ photoId: first.photoId, montageVersion: 1, duplicate: true, status: "committed" });

  // The same bytes from someone else at another site are recognised too.
  const elsewhere = await ben.uploadRaw(eventId, bytes);
  expect(elsewhere.status()).toBe(200);
  expect(await elsewhere.json()).toMatchObject({ photoId: first.photoId, montageVersion: 1, duplicate: true });

  expect(storedStateOfEverySite(cluster)).toEqual(before);
  await expectEverySite(cluster, observer, eventId, (v) => ({ version: v.montage.version, photos: v.photos.map((p) => p.photoId), contributors: v.contributors.map((c) => c.name) }), {
    version: 1,
    photos: [first.photoId],
    contributors: ["Ana"],
  });
});

test("Idempotency-Key: the same event creation twice acts once and returns the same ids", async () => {
  const before = storedStateOfEverySite(cluster);
  const key = `create-${Date.now()}-abc`;
  const first = await ana.createEvent("Only once", { "idempotency-key": key });
  const second = await ana.createEvent("Only once", { "idempotency-key": key });
  expect(second.eventId).toBe(first.eventId);
  expect(second.txId).toBe(first.txId);

  await expectEverySite(cluster, observer, first.eventId, (v) => v.title, "Only once");
  const after = storedStateOfEverySite(cluster);
  for (const site of cluster.sites) expect(after[site.siteId]?.events, site.siteId).toBe((before[site.siteId]?.events ?? 0) + 1);

  // The key is scoped to the person: someone else's request with the same key is their own.
  const bens = await ben.createEvent("Ben's own", { "idempotency-key": key });
  expect(bens.eventId).not.toBe(first.eventId);
});

test("Idempotency-Key: the same photo upload twice acts once and returns the same ids", async () => {
  const { eventId } = await ana.createEvent("Retried upload");
  const bytes = await photo();
  const headers = { "idempotency-key": `upload-${Date.now()}-xyz` };
  const first = await ana.upload(eventId, bytes, { headers });
  const second = await ana.upload(eventId, bytes, { headers });
  // The replay is the stored answer, not duplicate detection (which would say 200 duplicate).
  expect({ photoId: second.photoId, txId: second.txId, status: second.status }).toEqual({ photoId: first.photoId, txId: first.txId, status: "committed" });
  expect(second.duplicate).toBe(false);
  await expectEverySite(cluster, observer, eventId, (v) => ({ version: v.montage.version, photos: v.photos.map((p) => p.photoId) }), { version: 1, photos: [first.photoId] });

  // A malformed key is a clear 400, and nothing is stored.
  await expectError(await ana.uploadRaw(eventId, await photo(), { headers: { "idempotency-key": "short" } }), 400, "bad_request");
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 1);
});

test("before publication, montage and photo images are refused (403) to non-contributors on every site", async () => {
  const { eventId } = await ana.createEvent("Private until published");
  const mine = await ana.upload(eventId, await photo());
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 1);
  const paths = [`/api/events/${eventId}/montage?v=1&size=preview`, `/api/events/${eventId}/montage?v=1&size=full`, `/api/events/${eventId}/montage`, `/api/photos/${mine.photoId}/thumb`, `/api/photos/${mine.photoId}/image`];

  for (const site of cluster.sites) {
    for (const path of paths) {
      await expectError(await observer.get(`${site.url}${path}`), 403, "forbidden"); // no cookie
      await expectError(await ben.get(`${site.url}${path}`), 403, "forbidden"); // joined, no photo
      expect((await ana.get(`${site.url}${path}`)).status(), `${site.siteId} ${path}`).toBe(200);
    }
  }
  // The event page data hides the image URLs from them too.
  const asBen = await ben.event(eventId);
  expect(asBen.montage.url).toBeNull();
  expect(asBen.photos.map((p) => p.thumbUrl)).toEqual([null]);
  expect(asBen.viewer).toMatchObject({ isContributor: false, canVote: false });
  const asAna = await ana.event(eventId);
  expect(asAna.montage.url).not.toBeNull();
  expect(asAna.viewer).toMatchObject({ isContributor: true, canVote: true });
});

test("unanimous accept from contributors at three sites publishes on all four; the montage is public, full size, without EXIF/GPS", async () => {
  const { eventId } = await ben.createEvent("Published together");
  // Ana's photo carries EXIF with a GPS position, XMP and an ICC profile.
  const withGps = await makeJpegWithMetadata({ widthPx: 96, heightPx: 64 });
  expect((await sharp(withGps).metadata()).exif).toBeDefined();
  const a = await ana.upload(eventId, withGps);
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 1);
  await ben.upload(eventId, await photo());
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 2);
  await cleo.upload(eventId, await photo());
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 3);

  const first = await ana.vote(eventId, 3, "accept");
  expect(first).toMatchObject({ recorded: true, decision: "accept", montageVersion: 3 });
  await ben.vote(eventId, 3, "accept");
  await cleo.vote(eventId, 3, "accept");

  await expectEverySite(cluster, observer, eventId, (v) => ({ status: v.status, published: v.published?.version, outcome: v.round?.outcome, ballots: v.round?.ballots.map((b) => [b.name, b.decision, b.site]).sort() }), {
    status: "published",
    published: 3,
    outcome: "published",
    ballots: [
      ["Ana", "accept", "s0"],
      ["Ben", "accept", "s1"],
      ["Cleo", "accept", "s2"],
    ],
  });

  for (const site of cluster.sites) {
    const listed = (await publishedOn(observer, site.url)).find((p) => p.eventId === eventId);
    expect(listed, site.siteId).toMatchObject({ title: "Published together", version: 3, photoCount: 3, contributors: ["Ana", "Ben", "Cleo"] });
  }

  // Public now: no cookie needed; the full-size download is the same bytes on every site.
  const downloads = await Promise.all(
    cluster.sites.map(async (s) => {
      const response = await observer.get(`${s.url}/api/events/${eventId}/montage?size=full&download=1`);
      expect(response.status()).toBe(200);
      expect(response.headers()["content-disposition"]).toContain("attachment");
      return response.body();
    }),
  );
  for (const d of downloads.slice(1)) expect(d.equals(downloads[0]!)).toBe(true);
  const full = await sharp(downloads[0]).metadata();
  const preview = await sharp((await montageFromEverySite(observer, eventId, "size=preview"))[0]).metadata();
  expect(full.width).toBeGreaterThan(preview.width ?? 0);
  for (const meta of [full, preview]) {
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
  }
  // The photo itself, public now, carries no EXIF/GPS either.
  const image = await observer.get(`${cluster.url("s3")}/api/photos/${a.photoId}/image`);
  expect(image.status()).toBe(200);
  const imageMeta = await sharp(await image.body()).metadata();
  expect(imageMeta.exif).toBeUndefined();
  expect(imageMeta.xmp).toBeUndefined();
  expect(imageMeta.orientation ?? 1).toBe(1);

  // Only the published version became public: the earlier, never-accepted versions stay
  // for contributors, whether the viewer has no cookie or a cookie and no photo.
  for (const site of cluster.sites) {
    await expectError(await observer.get(`${site.url}/api/events/${eventId}/montage?v=2&size=full`), 403, "forbidden");
    await expectError(await dev.get(`${site.url}/api/events/${eventId}/montage?v=2&size=full`), 403, "forbidden");
    await expectError(await dev.get(`${site.url}/api/events/${eventId}/montage?v=1&size=preview`), 403, "forbidden");
    expect((await ana.get(`${site.url}/api/events/${eventId}/montage?v=2&size=full`)).status()).toBe(200);
  }

  // Published is final: no more photos, no more ballots.
  await expectError(await dev.uploadRaw(eventId, await photo()), 409, "published");
  await expectError(await cleo.voteRaw(eventId, { montageVersion: 3, decision: "reject" }), 409, "published");
  await expectEverySite(cluster, observer, eventId, (v) => ({ status: v.status, version: v.montage.version }), { status: "published", version: 3 });
});

// Last in this file: it freezes a site (SIGSTOP), which the tests above must not see.
test("a site that does not answer makes an upload pending (202), followed to its commit by GET /api/transactions and the event stream", async () => {
  const { eventId } = await ana.createEvent("Pending while a site is frozen");
  await expectEverySite(cluster, observer, eventId, (v) => v.status, "open");
  const stream = await openStream(`${cluster.url("s0")}/api/events/${eventId}/stream`);
  const headers = { "idempotency-key": `pending-${Date.now()}-upload` };
  const bytes = await photo();
  cluster.freeze("s3");
  try {
    const response = await ana.uploadRaw(eventId, bytes, { headers });
    expect(response.status(), await response.text()).toBe(202);
    const pending = addPhotoAnswer.parse(await response.json());
    expect(pending).toMatchObject({ status: "pending", montageVersion: null });
    // Honest: the three live sites have voted yes (durably prepared); s3 has not answered.
    expect(pending.sites).toEqual(cluster.sites.map((s) => ({ siteId: s.siteId, acknowledged: s.siteId !== "s3" })));
    const followed = transactionAnswer.parse(await (await ana.get(`/api/transactions/${pending.txId}`)).json());
    expect(followed).toMatchObject({ txId: pending.txId, kind: "add-photo", status: "pending" });
    // A retry with the same key is the same transaction, still pending, not a second photo.
    const retry = await ana.uploadRaw(eventId, bytes, { headers });
    expect(retry.status()).toBe(202);
    expect(await retry.json()).toMatchObject({ photoId: pending.photoId, txId: pending.txId, status: "pending" });
    // Prepared is invisible: no site that answers shows the photo yet.
    for (const siteId of ["s0", "s1", "s2"]) expect((await readEvent(observer, cluster.url(siteId), eventId)).montage.version, siteId).toBe(0);

    cluster.thaw("s3");
    expect((await ana.followTransaction(pending.txId)).status).toBe("committed");
    await stream.waitFor((message) => message.reason === "photo");
    await expectEverySite(cluster, observer, eventId, (v) => ({ version: v.montage.version, photos: v.photos.map((p) => p.photoId) }), { version: 1, photos: [pending.photoId] });
    const replay = await ana.uploadRaw(eventId, bytes, { headers });
    expect(replay.status()).toBe(201);
    expect(await replay.json()).toMatchObject({ photoId: pending.photoId, txId: pending.txId, status: "committed" });
  } finally {
    cluster.thaw("s3");
    stream.close();
  }
});

/** A server-sent event stream, read with fetch; `waitFor` resolves on the first matching message. */
async function openStream(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers: { accept: "text/event-stream" } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const messages: Array<{ type: string; eventId: string; reason: string }> = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const reading = (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of block.split("\n")) if (line.startsWith("data: ")) messages.push(eventStreamMessage.parse(JSON.parse(line.slice(6))));
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    messages,
    async waitFor(match: (message: { reason: string }) => boolean) {
      await expect.poll(() => messages.some(match), { timeout: 30_000 }).toBe(true);
    },
    close() {
      controller.abort();
      void reading;
    },
  };
}
