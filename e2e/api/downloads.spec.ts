// Getting the photos back (SPEC §1.10, §5): one photo at full size and a ZIP of all, from any
// site, private metadata removed; contributors before publication, everyone after.
import { test, expect, type APIRequestContext } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makePhotoWithPrivateMetadata, PRIVATE_MARKERS } from "../../lib/images/fixtures";
import { Cluster } from "../support/cluster";
import { Person, anonymous, expectError, expectEverySite, fromFetch } from "./support/people";

let cluster: Cluster;
let observer: APIRequestContext;
let ana: Person; // s0
let ben: Person; // s1
let scratch: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await Cluster.start({ env: { BALLOT_WINDOW_MS: "60000" } });
  observer = await anonymous();
  [ana, ben] = await Promise.all([Person.join(cluster, "s0", "Ana"), Person.join(cluster, "s1", "Ben")]);
  scratch = mkdtempSync(join(tmpdir(), "groupshot-downloads-"));
});

test.afterAll(async () => {
  await Promise.all([ana, ben, observer].map((p) => p?.dispose()));
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function assertNothingPrivate(bytes: Buffer, label: string): void {
  for (const [name, marker] of Object.entries(PRIVATE_MARKERS)) expect(bytes.includes(marker), `${label} holds ${name}`).toBe(false);
}

/**
 * The length is declared, exactly, and the body is not chunked: Next.js drops Content-Length from
 * route handlers, the site's server restores it (lib/http/exact-length.ts), so browsers can show
 * progress; the private header that carries it does not leak.
 */
function expectExactLength(headers: Record<string, string>, body: Buffer, label: string): void {
  expect(headers["content-length"], `${label}: Content-Length`).toBe(String(body.length));
  expect(headers["transfer-encoding"], `${label}: not chunked`).toBeUndefined();
  expect(headers["x-groupshot-content-length"], `${label}: private header`).toBeUndefined();
}

test("originals and the ZIP, from every site: full size, no private metadata, ranges, names and dates", async () => {
  const { eventId } = await ana.createEvent("Lake trip");
  const jpeg = await makePhotoWithPrivateMetadata({ type: "jpeg", widthPx: 96, heightPx: 64 });
  const png = await makePhotoWithPrivateMetadata({ type: "png", widthPx: 80, heightPx: 60 });
  const anaPhoto = await ana.upload(eventId, jpeg);
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 1);
  const benPhoto = await ben.upload(eventId, png);
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 2);

  // Not a contributor, not published: refused, with nothing served.
  await expectError(await observer.get(`${cluster.url("s2")}/api/events/${eventId}/archive`), 403, "forbidden");
  await expectError(await observer.get(`${cluster.url("s2")}/api/events/${eventId}/photos/${anaPhoto.photoId}/original`), 403, "forbidden");
  await expectError(await ana.http.get(`/api/events/${eventId}/photos/ph_unknownphoto1/original`), 404, "not_found");

  const originals: Record<string, Buffer> = {};
  for (const site of cluster.sites) {
    for (const [photoId, type] of [[anaPhoto.photoId, "image/jpeg"], [benPhoto.photoId, "image/png"]] as const) {
      const response = await ana.http.get(`${site.url}/api/events/${eventId}/photos/${photoId}/original`);
      expect(response.status(), site.siteId).toBe(200);
      const body = await response.body();
      expect(response.headers()["content-type"]).toBe(type);
      expect(response.headers()["accept-ranges"]).toBe("bytes");
      expectExactLength(response.headers(), body, `${photoId} at ${site.siteId}`);
      expect(response.headers()["content-disposition"]).toMatch(/^attachment; .*2026-05-04 13-14-15/);
      assertNothingPrivate(body, `${photoId} at ${site.siteId}`);
      // Every site serves the same bytes.
      if (originals[photoId]) expect(body.equals(originals[photoId]!), `${photoId} differs at ${site.siteId}`).toBe(true);
      originals[photoId] = body;
    }
  }
  const original = originals[anaPhoto.photoId]!;
  const url = `${cluster.url("s3")}/api/events/${eventId}/photos/${anaPhoto.photoId}/original`;
  const first = await ana.http.get(url, { headers: { range: "bytes=0-99" } });
  expect(first.status()).toBe(206);
  expect(first.headers()["content-range"]).toBe(`bytes 0-99/${original.length}`);
  expect((await first.body()).equals(original.subarray(0, 100))).toBe(true);
  expectExactLength(first.headers(), await first.body(), "a range");
  const last = await ana.http.get(url, { headers: { range: "bytes=-10" } });
  expect(last.status()).toBe(206);
  expect((await last.body()).equals(original.subarray(original.length - 10))).toBe(true);
  await expectError(await ana.http.get(url, { headers: { range: `bytes=${original.length}-` } }), 416, "range_not_satisfiable");
  expect((await ana.http.get(url, { headers: { range: "bytes=5-1" } })).status(), "an inverted range is ignored").toBe(200);

  // The event says what "Download all" holds.
  const view = await ben.event(eventId);
  expect(view.archive).toEqual({ url: `/api/events/${eventId}/archive`, photoCount: 2, sizeBytes: original.length + originals[benPhoto.photoId]!.length });

  const zipResponse = await ben.http.get(`${cluster.url("s2")}/api/events/${eventId}/archive`);
  expect(zipResponse.status()).toBe(200);
  expect(zipResponse.headers()["content-type"]).toBe("application/zip");
  const zip = await zipResponse.body();
  expectExactLength(zipResponse.headers(), zip, "the ZIP");
  const head = await ben.http.head(`${cluster.url("s3")}/api/events/${eventId}/archive`);
  expect(head.headers()["content-length"], "HEAD says the size without a body").toBe(String(zip.length));
  const montage = await ben.http.get(`${cluster.url("s1")}/api/events/${eventId}/montage?v=2&size=full`);
  expectExactLength(montage.headers(), await montage.body(), "the montage");
  assertNothingPrivate(zip, "the ZIP");
  const zipPath = join(scratch, "lake.zip");
  writeFileSync(zipPath, zip);
  execFileSync("unzip", ["-tq", zipPath]);
  // Same capture time: by upload time, Ana's first. Names from uploader and capture time; DOS dates = capture time.
  expect(execFileSync("unzip", ["-Z1", zipPath]).toString().trim().split("\n")).toEqual(["Lake trip/Ana 2026-05-04 13-14-15.jpg", "Lake trip/Ben 2026-05-04 13-14-15.png"]);
  expect(execFileSync("unzip", ["-ZT", "-l", zipPath]).toString()).toMatch(/20260504\.13141[45] .*Ana/);
  expect(execFileSync("unzip", ["-p", zipPath, "Lake trip/Ana 2026-05-04 13-14-15.jpg"]).equals(original)).toBe(true);
});

test("a client that leaves mid-ZIP costs the site nothing: it serves the next request at once", async () => {
  const { eventId } = await ana.createEvent("Big day");
  for (let i = 0; i < 3; i++) {
    await ana.upload(eventId, await makePhotoWithPrivateMetadata({ type: "jpeg", widthPx: 800 + i, heightPx: 600 }));
  }
  const url = `${cluster.url("s0")}/api/events/${eventId}/archive`;
  const cookie = `groupshot=${await ana.cookie()}`;
  const abort = new AbortController();
  const response = await fetch(url, { headers: { cookie }, signal: abort.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  await reader.read();
  abort.abort();
  const again = await fetch(url, { headers: { cookie } });
  expect(again.status).toBe(200);
  expect((await again.arrayBuffer()).byteLength).toBeGreaterThan(3 * 1000);
  await expectError(fromFetch(await fetch(`${cluster.url("s0")}/api/events/ev_nosuchevent12/archive`, { headers: { cookie } })), 404, "not_found");
});
