// Removing a photo on four real sites through the public API (SPEC §1.11, §3, §5): the uploader
// removes their own, the creator any; the photo is gone on every site, the montage version grows,
// someone whose last photo went is no longer a contributor; refusals change nothing.
import { test, expect, type APIRequestContext } from "@playwright/test";
import { removePhotoAnswer } from "../../lib/api/contract";
import { makePhoto } from "../../lib/images/fixtures";
import { Cluster } from "../support/cluster";
import { Person, anonymous, expectError, expectEverySite, storedStateOfEverySite } from "./support/people";

let cluster: Cluster;
let observer: APIRequestContext;
let ana: Person; // s0, creates the events
let ben: Person; // s1
let cleo: Person; // s2

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // A long window: the tests open it on purpose and never wait for it to end.
  cluster = await Cluster.start({ env: { BALLOT_WINDOW_MS: "60000" } });
  observer = await anonymous();
  [ana, ben, cleo] = await Promise.all([Person.join(cluster, "s0", "Ana"), Person.join(cluster, "s1", "Ben"), Person.join(cluster, "s2", "Cleo")]);
});

test.afterAll(async () => {
  await Promise.all([ana, ben, cleo, observer].map((p) => p?.dispose()));
  await cluster?.stop();
});

let seed = 900;
const photo = () => makePhoto({ seed: seed++, widthPx: 72, heightPx: 54 });

function removeRaw(person: Person, eventId: string, photoId: string, headers: Record<string, string> = {}) {
  return person.http.delete(`/api/events/${eventId}/photos/${photoId}`, { headers });
}

/** A removal that must commit (200, or 202 followed until committed); returns its answer. */
async function remove(person: Person, eventId: string, photoId: string, headers: Record<string, string> = {}) {
  const response = await removeRaw(person, eventId, photoId, headers);
  expect([200, 202], await response.text()).toContain(response.status());
  const answer = removePhotoAnswer.parse(await response.json());
  if (answer.status === "committed") return answer;
  const outcome = await person.followTransaction(answer.txId);
  expect(outcome.status, outcome.reason ?? "").toBe("committed");
  return { ...answer, status: outcome.status };
}

/** An event created by Ana with one photo from each of `uploaders`, in order, seen by every site. */
async function eventWithPhotos(title: string, uploaders: Person[]): Promise<{ eventId: string; photoIds: string[] }> {
  const { eventId } = await ana.createEvent(title);
  const photoIds: string[] = [];
  for (const [i, person] of uploaders.entries()) {
    await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, i);
    photoIds.push((await person.upload(eventId, await photo())).photoId);
  }
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, uploaders.length);
  return { eventId, photoIds };
}

test("the uploader removes their own photo: gone on every site, a new version, no longer a contributor", async () => {
  const { eventId, photoIds } = await eventWithPhotos("Removal by the uploader", [ana, ben, cleo]);
  const before = storedStateOfEverySite(cluster);
  const answer = await remove(ben, eventId, photoIds[1]!);
  expect(answer).toMatchObject({ photoId: photoIds[1], status: "committed" });
  expect(answer.sites).toEqual(cluster.sites.map((s) => ({ siteId: s.siteId, acknowledged: true })));

  await expectEverySite(
    cluster,
    observer,
    eventId,
    (v) => ({ version: v.montage.version, photos: v.photos.map((p) => p.photoId), contributors: v.contributors.map((c) => c.name) }),
    { version: 4, photos: [photoIds[0], photoIds[2]], contributors: ["Ana", "Cleo"] },
  );
  const after = storedStateOfEverySite(cluster);
  for (const s of cluster.sites) {
    expect(after[s.siteId]!.photos, s.siteId).toBe(before[s.siteId]!.photos - 1);
    expect(after[s.siteId]!.prepared, s.siteId).toBe(0);
  }
  // Ben has no photo left: he sees what a non-contributor sees, and cannot vote.
  const asBen = await ben.event(eventId);
  expect(asBen.viewer).toMatchObject({ isContributor: false, canVote: false, photoCount: 0 });
  const vote = await ben.voteRaw(eventId, { montageVersion: 4, decision: "accept" });
  await expectError(vote, 403, "not_contributor");
  // The photo's images are gone too; the montage of the new version is the same on every site.
  const image = await ana.get(`/api/photos/${photoIds[1]}/image`);
  expect(image.status()).toBe(404);
  const montages = await Promise.all(cluster.sites.map(async (s) => (await ana.get(`${s.url}/api/events/${eventId}/montage?v=4`)).body()));
  for (const bytes of montages) expect(bytes.equals(montages[0]!)).toBe(true);
});

test("who may remove: the creator any photo, nobody else someone else's; unknown photos are 404", async () => {
  const { eventId, photoIds } = await eventWithPhotos("Removal rights", [ben, cleo]);
  await expectError(await removeRaw(cleo, eventId, photoIds[0]!), 403, "not_yours");
  await expectError(await removeRaw(cleo, eventId, "ph_zzzzzzzzzzzz"), 404, "unknown_photo");
  await expectError(await removeRaw(cleo, eventId, "not-a-photo-id"), 404, "not_found");
  await expectError(await removeRaw(cleo, "ev_zzzzzzzzzzzz", photoIds[0]!), 404, "unknown_event");
  const stranger = await observer.delete(`${cluster.url("s2")}/api/events/${eventId}/photos/${photoIds[0]}`);
  await expectError(stranger, 401, "unauthorized");
  await expectEverySite(cluster, observer, eventId, (v) => ({ version: v.montage.version, photos: v.photos.length }), { version: 2, photos: 2 });

  // Ana created the event and never added a photo: she may still remove Ben's.
  expect((await ana.event(eventId)).photos.map((p) => p.removable)).toEqual([true, true]);
  expect((await cleo.event(eventId)).photos.map((p) => p.removable)).toEqual([false, true]);
  await remove(ana, eventId, photoIds[0]!);
  await expectEverySite(cluster, observer, eventId, (v) => ({ version: v.montage.version, photos: v.photos.map((p) => p.photoId) }), { version: 3, photos: [photoIds[1]] });
  // Removed already: a second removal without a key finds nothing to remove.
  await expectError(await removeRaw(ana, eventId, photoIds[0]!), 404, "unknown_photo");
});

test("Idempotency-Key: a retried removal acts once and gets the same answer", async () => {
  const { eventId, photoIds } = await eventWithPhotos("Removal retried", [cleo, ben]);
  const headers = { "idempotency-key": "remove-retry-0001" };
  const first = await remove(cleo, eventId, photoIds[0]!, headers);
  const again = await removeRaw(cleo, eventId, photoIds[0]!, headers);
  expect(again.status()).toBe(200);
  expect(removePhotoAnswer.parse(await again.json())).toMatchObject({ txId: first.txId, status: "committed", photoId: photoIds[0] });
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 3);
});

test("refused while a ballot window is open and after publication, on every site, changing nothing", async () => {
  const { eventId, photoIds } = await eventWithPhotos("Removal while voting", [ben, cleo]);
  await ben.vote(eventId, 2, "accept");
  // The window reaches every site; a removal asked at any of them is refused.
  await expectEverySite(cluster, observer, eventId, (v) => v.status, "voting");
  await expectError(await removeRaw(ben, eventId, photoIds[0]!), 409, "window_open");
  await expectError(await removeRaw(ana, eventId, photoIds[1]!), 409, "window_open");
  expect((await ana.event(eventId)).photos.map((p) => p.removable)).toEqual([false, false]);
  await cleo.vote(eventId, 2, "accept");
  await expectEverySite(cluster, observer, eventId, (v) => v.status, "published");
  await expectError(await removeRaw(cleo, eventId, photoIds[1]!), 409, "published");
  await expectEverySite(cluster, observer, eventId, (v) => ({ version: v.montage.version, photos: v.photos.length }), { version: 2, photos: 2 });
});
