// Removing a photo under crashes and races, on four real sites (SPEC §3 remove photo, §4.4, §4.7).
// 1. The coordinator (the site the removal was asked at) is SIGKILLed after it durably logged
//    COMMIT and before any DECISION left it: the others stay prepared, still showing the photo;
//    after the restart the removal reaches every site, the retry with the same key acts once,
//    and every site builds the same montage without the photo.
// 2. A removal at one site races the ballot that opens a window at another: never both. Either
//    the removal committed (the photo is gone everywhere and no round holds a version with it)
//    or the window holds and the removal is refused with a typed 409 (the photo stays everywhere).
import { NoAnswer, Person, health } from "../support/api";
import { databasesConverged, eventEverywhere, waitQuiescent } from "../support/convergence";
import { expect, photo, test } from "../support/crash-test";
import type { Cluster } from "../support/cluster";
import { readPrepared } from "../support/state-digest";
import { waitFor } from "../support/wait";

/** Hana creates the event on s0 (its home); Mia on s1 and Bob on s2 add one photo each. */
async function eventWithTwoPhotos(cluster: Cluster, title: string, seed: number) {
  const hana = await new Person("Hana", cluster.url("s0")).join();
  const mia = await new Person("Mia", cluster.url("s1")).join();
  const bob = await new Person("Bob", cluster.url("s2")).join();
  const eventId = await hana.createCommittedEvent(title);
  await eventEverywhere(cluster, hana, eventId);
  const miaPhoto = await mia.addCommittedPhoto(eventId, await photo(seed));
  await eventEverywhere(cluster, hana, eventId, (v) => v.montage.version === 1);
  const bobPhoto = await bob.addCommittedPhoto(eventId, await photo(seed + 1));
  await eventEverywhere(cluster, hana, eventId, (v) => v.montage.version === 2);
  await waitQuiescent(cluster);
  return { hana, mia, bob, eventId, miaPhoto, bobPhoto };
}

/** Every site built the same full montage for `version` of the event (the convergence digest holds each site's). */
function sameMontageEverywhere(states: Awaited<ReturnType<typeof databasesConverged>>, eventId: string, version: number): void {
  const hashes = states.map((s) => s.montages.get(`${eventId}@${version}:full`));
  expect(hashes[0], `a montage of version ${version} was built`).toBeDefined();
  for (const hash of hashes) expect(hash).toBe(hashes[0]);
}

test("the coordinator dies after deciding a removal; after its restart every site agrees the photo is gone", async ({ cluster }) => {
  const { hana, mia, bob, eventId, miaPhoto, bobPhoto } = await eventWithTwoPhotos(cluster, "Removal vs crash", 61);

  // Bob asks s2 to remove his photo; s2 logs COMMIT and is killed before telling anyone.
  await cluster.armFailpoints("s2", "coordinator.after-log-decision");
  const key = "crash-remove-photo-1";
  await expect(bob.removePhoto(eventId, bobPhoto, { idempotencyKey: key })).rejects.toBeInstanceOf(NoAnswer);
  expect((await cluster.waitExit("s2")).signal).toBe("SIGKILL");
  const prepared = readPrepared(cluster.dataDir("s1")).filter((p) => p.kind === "remove-photo");
  expect(prepared).toHaveLength(1);
  const { txId, coordinator } = prepared[0]!;
  expect(coordinator).toBe("s2");
  expect(prepared[0]!.data.photoId).toBe(bobPhoto);
  for (const siteId of ["s0", "s1", "s3"]) {
    await waitFor(`${siteId} in doubt about ${txId}`, async () => ((await health(cluster.url(siteId))).inDoubt.some((t) => t.txId === txId) ? true : undefined));
    // Prepared is invisible: the photo is still there, the version unchanged.
    const view = await hana.event(eventId, cluster.url(siteId));
    expect(view.ok && { version: view.data.montage.version, photos: view.data.photos.map((p) => p.photoId) }).toEqual({ version: 2, photos: [miaPhoto, bobPhoto] });
  }

  await cluster.start("s2");
  const views = await eventEverywhere(cluster, hana, eventId, (v) => v.montage.version === 3);
  for (const view of Object.values(views)) expect(view.photos.map((p) => p.photoId)).toEqual([miaPhoto]);
  // The lost answer is asked for again with the same key: the same transaction, acted on once.
  const retried = await bob.removePhoto(eventId, bobPhoto, { idempotencyKey: key });
  expect(retried.ok && retried.data).toMatchObject({ txId, photoId: bobPhoto, status: "committed" });
  // The new version's montage, asked for at every site (by Mia: before publication only
  // contributors see it), is the same everywhere.
  for (const site of cluster.sites) {
    const montage = await fetch(`${site.url}/api/events/${eventId}/montage?v=3&size=full`, { headers: { cookie: mia.cookie ?? "" } });
    expect(montage.status, site.siteId).toBe(200);
    await montage.arrayBuffer();
  }
  await waitQuiescent(cluster);
  const states = await databasesConverged(cluster);
  for (const state of states) expect(state.photos.map((p) => p.id)).toEqual([miaPhoto]);
  sameMontageEverywhere(states, eventId, 3);
});

test.describe("racing a ballot", () => {
  // A window that outlasts the test: it is opened on purpose and never ends by itself.
  test.use({ clusterOptions: { env: { BALLOT_WINDOW_MS: "120000" } } });

  test("a removal racing the ballot that opens a window at another site: never both", async ({ cluster }) => {
    const outcomes: string[] = [];
    // Four races: the ballot first, then the removal first by 10, 40 and 150 ms (a ballot is
    // local and quick, a removal a round of 2PC), so that each side wins some.
    const races: Array<{ first: "ballot" | "removal"; gapMs: number }> = [
      { first: "ballot", gapMs: 0 },
      { first: "removal", gapMs: 10 },
      { first: "removal", gapMs: 40 },
      { first: "removal", gapMs: 150 },
    ];
    for (const [i, { first, gapMs }] of races.entries()) {
      const { hana, mia, bob, eventId, miaPhoto, bobPhoto } = await eventWithTwoPhotos(cluster, `Removal vs ballot ${i}`, 70 + 2 * i);
      const pause = () => new Promise((resolve) => setTimeout(resolve, gapMs));
      const ballotAsked = first === "ballot" ? mia.vote(eventId, 2, "accept") : pause().then(() => mia.vote(eventId, 2, "accept")); // at s1: opens the window there
      const removalAsked = first === "removal" ? bob.removePhoto(eventId, bobPhoto) : pause().then(() => bob.removePhoto(eventId, bobPhoto)); // at s2
      const [removal, cast] = await Promise.all([removalAsked, ballotAsked]);
      if (removal.ok && removal.data.status === "pending") await bob.committed(removal.data.txId);
      // Never both, and one of them went through: a prepared removal at s1 refuses the ballot
      // there (or the ballot's version is stale by then); an open window at s1 makes s1 vote NO.
      expect({ removed: removal.ok, voted: cast.ok }, `removal ${removal.ok ? "ok" : removal.code}, ballot ${cast.ok ? "ok" : cast.code}`).toEqual(
        removal.ok ? { removed: true, voted: false } : { removed: false, voted: true },
      );
      await waitQuiescent(cluster);
      if (removal.ok) {
        outcomes.push(`removed (ballot ${cast.ok ? "" : cast.code})`);
        // The photo is gone everywhere, and no round holds a version that had it.
        const views = await eventEverywhere(cluster, hana, eventId, (v) => v.montage.version === 3);
        for (const view of Object.values(views)) {
          expect(view.photos.map((p) => p.photoId)).toEqual([miaPhoto]);
          expect(view.status).toBe("open");
          expect(view.round?.version ?? 3, "no round of a version with the removed photo").toBeGreaterThanOrEqual(3);
        }
      } else {
        outcomes.push(`refused ${removal.code}`);
        expect(removal.status, removal.message).toBe(409);
        expect(removal.code).toBe("window_open");
        // The window holds at s1 (Mia's ballot is there; ballots are local first, so other sites
        // need not have it yet), and the photo is still on every site at version 2.
        for (const site of cluster.sites) {
          const view = await hana.event(eventId, site.url);
          expect(view.ok && { version: view.data.montage.version, photos: view.data.photos.map((p) => p.photoId) }, site.siteId).toEqual({ version: 2, photos: [miaPhoto, bobPhoto] });
          if (site.siteId === "s1") expect(view.ok && view.data.round).toMatchObject({ version: 2, outcome: null });
        }
      }
    }
    test.info().annotations.push({ type: "outcomes", description: outcomes.join(", ") });
  });
});
