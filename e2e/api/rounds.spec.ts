// Ballot rounds on four real sites through the public API: the frozen window, superseded and
// refused ballots, reject, timeout, and a new round after an abort — asserted on EVERY site.
import { test, expect, type APIRequestContext } from "@playwright/test";
import { addPhotoAnswer, errorBody } from "../../lib/api/contract";
import { makePhoto } from "../../lib/images/fixtures";
import { Cluster } from "../support/cluster";
import { Person, anonymous, expectError, expectEverySite, storedStateOfEverySite } from "./support/people";

/** Short, so the timeout test is quick; long enough for a few requests while the window is open. */
const BALLOT_WINDOW_MS = 6_000;

let cluster: Cluster;
let observer: APIRequestContext;
let ana: Person; // s0
let ben: Person; // s1
let cleo: Person; // s2
let dev: Person; // s3

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await Cluster.start({ env: { BALLOT_WINDOW_MS: String(BALLOT_WINDOW_MS) } });
  observer = await anonymous();
  [ana, ben, cleo, dev] = await Promise.all([Person.join(cluster, "s0", "Ana"), Person.join(cluster, "s1", "Ben"), Person.join(cluster, "s2", "Cleo"), Person.join(cluster, "s3", "Dev")]);
});

test.afterAll(async () => {
  await Promise.all([ana, ben, cleo, dev, observer].map((p) => p?.dispose()));
  await cluster?.stop();
});

let seed = 500;
const photo = () => makePhoto({ seed: seed++, widthPx: 72, heightPx: 54 });

/** An event at `home`'s site with one photo from each of `uploaders`, in order, seen by every site. */
async function eventWithPhotos(home: Person, title: string, uploaders: Person[]): Promise<string> {
  const { eventId } = await home.createEvent(title);
  for (const [i, person] of uploaders.entries()) {
    // Each uploader's own site must have the previous version before they add to it.
    await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, i);
    expect((await person.upload(eventId, await photo())).montageVersion).toBe(i + 1);
  }
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, uploaders.length);
  return eventId;
}

const roundOf = (v: { status: string; round: { version: number; outcome: string | null; reason: string | null } | null }) => ({
  status: v.status,
  version: v.round?.version ?? null,
  outcome: v.round?.outcome ?? null,
  reason: v.round?.reason ?? null,
});

test("an open ballot window refuses uploads (409 window_open) at its site and at another site; nothing changes", async () => {
  const eventId = await eventWithPhotos(ana, "Frozen while voting", [ana, ben]);
  const { deadline } = await ana.vote(eventId, 2, "accept");
  const openedAt = Date.now();
  expect(Date.parse(deadline)).toBeGreaterThan(openedAt);
  expect((await ana.event(eventId)).status).toBe("voting");
  const before = storedStateOfEverySite(cluster);

  await expectError(await ana.uploadRaw(eventId, await photo()), 409, "window_open"); // where the window opened
  await expectError(await ben.uploadRaw(eventId, await photo()), 409, "window_open"); // another site
  await expectError(await cleo.uploadRaw(eventId, await photo()), 409, "window_open"); // a newcomer at a third
  expect(Date.now() - openedAt, "the refusals above happened while the window was open").toBeLessThan(BALLOT_WINDOW_MS);

  // The window reached every site, and no refused photo was stored or half-applied anywhere.
  await expectEverySite(cluster, observer, eventId, (v) => ({ status: v.status, version: v.montage.version, photos: v.photos.length }), { status: "voting", version: 2, photos: 2 });
  const after = storedStateOfEverySite(cluster);
  for (const site of cluster.sites) {
    const [b, a] = [before[site.siteId], after[site.siteId]];
    expect({ photos: a?.photos, versions: a?.versionSum, prepared: a?.prepared }, site.siteId).toEqual({ photos: b?.photos, versions: b?.versionSum, prepared: 0 });
  }
  await ben.vote(eventId, 2, "reject"); // end the round so the event is left open
  await expectEverySite(cluster, observer, eventId, (v) => v.status, "open");
});

test("a ballot for a superseded version is refused (409 superseded) after a new photo", async () => {
  const eventId = await eventWithPhotos(ana, "Superseded", [ana]);
  await ben.upload(eventId, await photo()); // version 2 supersedes version 1
  await expectEverySite(cluster, observer, eventId, (v) => v.montage.version, 2);

  const refused = await expectError(await ana.voteRaw(eventId, { montageVersion: 1, decision: "accept" }), 409, "superseded");
  expect(refused.error.message).toMatch(/version 1 .*superseded.*version 2/);
  // Ben contributed only to version 2: his ballot on version 1 is just as superseded.
  await expectError(await ben.voteRaw(eventId, { montageVersion: 1, decision: "accept" }), 409, "superseded");
  // A version that does not exist is not "superseded".
  await expectError(await ben.voteRaw(eventId, { montageVersion: 7, decision: "accept" }), 409, "unknown_version");

  await expectEverySite(cluster, observer, eventId, (v) => ({ status: v.status, round: v.round, viewerCanUpload: v.viewer.canUpload }), { status: "open", round: null, viewerCanUpload: false });
  expect((await ana.event(eventId)).viewer).toMatchObject({ canVote: true, ballot: null });
});

test("a non-contributor's ballot is refused (403); a second ballot is refused (409 already_cast)", async () => {
  const eventId = await eventWithPhotos(ana, "One ballot each", [ana, ben]);
  await expectError(await cleo.voteRaw(eventId, { montageVersion: 2, decision: "accept" }), 403, "not_contributor");
  await expectError(await dev.voteRaw(eventId, { montageVersion: 2, decision: "reject" }), 403, "not_contributor");
  await expectEverySite(cluster, observer, eventId, (v) => ({ status: v.status, round: v.round }), { status: "open", round: null });

  await ana.vote(eventId, 2, "accept");
  await expectError(await ana.voteRaw(eventId, { montageVersion: 2, decision: "accept" }), 409, "already_cast");
  await expectError(await ana.voteRaw(eventId, { montageVersion: 2, decision: "reject" }), 409, "already_cast"); // an accept cannot be taken back
  expect((await ana.event(eventId)).viewer).toMatchObject({ ballot: "accept", canVote: false });
  await ben.vote(eventId, 2, "reject");
  await expectEverySite(cluster, observer, eventId, (v) => v.round?.ballots.map((b) => [b.name, b.decision]).sort() ?? [], [
    ["Ana", "accept"],
    ["Ben", "reject"],
  ]);
});

test("a reject aborts the round on every site and reopens uploads; the next photo gives a new version and a new round", async () => {
  const eventId = await eventWithPhotos(ana, "Rejected, then retried", [ana, ben, cleo]);
  await ana.vote(eventId, 3, "accept");
  await cleo.vote(eventId, 3, "reject");

  await expectEverySite(cluster, observer, eventId, roundOf, { status: "open", version: 3, outcome: "aborted", reason: "Cleo rejected the montage." });
  await expectEverySite(cluster, observer, eventId, (v) => v.lastAbortedRound?.version ?? null, 3);
  for (const person of [ana, ben, cleo, dev]) expect((await person.event(eventId)).viewer.canUpload, person.name).toBe(true);
  // Round 1 is over: a ballot that names it is refused (an accept without a round would open round 2).
  await expectError(await ben.voteRaw(eventId, { montageVersion: 3, round: 1, decision: "accept" }), 409, "round_closed");

  const next = await dev.upload(eventId, await photo());
  expect(next.montageVersion).toBe(4);
  await expectEverySite(cluster, observer, eventId, (v) => ({ status: v.status, version: v.montage.version, round: v.round, lastAborted: v.lastAbortedRound?.version }), {
    status: "open",
    version: 4,
    round: null,
    lastAborted: 3,
  });

  // A new round for version 4, which everyone (four sites) accepts: published everywhere.
  for (const person of [dev, cleo, ben, ana]) await person.vote(eventId, 4, "accept");
  await expectEverySite(cluster, observer, eventId, roundOf, { status: "published", version: 4, outcome: "published", reason: "Everyone accepted." });
  await expectEverySite(cluster, observer, eventId, (v) => v.published?.version ?? null, 4);
});

test("a window that ends without every ballot aborts the round everywhere, naming who did not vote", async () => {
  const eventId = await eventWithPhotos(ben, "Nobody else voted", [ana, ben, cleo]);
  const { deadline } = await ana.vote(eventId, 3, "accept");
  await expectEverySite(cluster, observer, eventId, (v) => v.status, "voting");
  await expectEverySite(cluster, observer, eventId, roundOf, { status: "open", version: 3, outcome: "aborted", reason: "Time ran out before Ben and Cleo voted." }, BALLOT_WINDOW_MS + 20_000);
  const views = await Promise.all(cluster.sites.map((s) => observer.get(`${s.url}/api/events/${eventId}`).then((r) => r.json() as Promise<{ round: { deadline: string } }>)));
  // Each site times the window on its own clock from when it heard of the first ballot (SPEC
  // §4.8: no site's clock is trusted by another), so the deadlines agree to within a delivery.
  for (const view of views) expect(Math.abs(Date.parse(view.round.deadline) - Date.parse(deadline))).toBeLessThan(5_000);
  // Uploads are open again.
  expect((await dev.upload(eventId, await photo())).montageVersion).toBe(4);
});

test("uploads at two sites at the same moment both commit, one version each, in the same order on every site", async () => {
  const eventId = await eventWithPhotos(ana, "Two at once", []);
  const [a, b] = await Promise.all([ana.upload(eventId, await photo()), ben.upload(eventId, await photo())]);
  expect([a.montageVersion, b.montageVersion].sort()).toEqual([1, 2]);
  const order = a.montageVersion === 1 ? [a.photoId, b.photoId] : [b.photoId, a.photoId];
  await expectEverySite(cluster, observer, eventId, (v) => ({ version: v.montage.version, photos: v.photos.map((p) => p.photoId) }), { version: 2, photos: order });
});

test("a ballot racing an upload at another site: never both — no photo is committed once a window is open", async () => {
  for (let round = 0; round < 3; round++) {
    const eventId = await eventWithPhotos(ana, `Race ${round}`, [ana]);
    const [ballot, upload] = await Promise.all([ana.voteRaw(eventId, { montageVersion: 1, decision: "accept" }), ben.uploadRaw(eventId, await photo())]);
    let uploadState: string;
    if (upload.status() === 202) {
      uploadState = (await ben.followTransaction(addPhotoAnswerTxId(await upload.json()))).status;
    } else {
      uploadState = upload.status() === 201 ? "committed" : `refused ${upload.status()}`;
    }
    const ballotState = ballot.status() === 200 ? "recorded" : `refused ${ballot.status()} ${errorBody.parse(await ballot.json()).error.code}`;
    test.info().annotations.push({ type: `race ${round}`, description: `ballot ${ballotState}, upload ${uploadState}` });
    expect(ballotState === "recorded" && uploadState === "committed", `ballot ${ballotState} and upload ${uploadState}`).toBe(false);
    if (ballotState === "recorded") {
      await expectEverySite(cluster, observer, eventId, (v) => ({ version: v.montage.version, round: v.round?.version }), { version: 1, round: 1 });
    } else {
      expect(uploadState).toBe("committed");
      await expectEverySite(cluster, observer, eventId, (v) => ({ version: v.montage.version, round: v.round }), { version: 2, round: null });
    }
  }
});

function addPhotoAnswerTxId(body: unknown): string {
  return addPhotoAnswer.parse(body).txId;
}
