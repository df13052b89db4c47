// A site is frozen with SIGSTOP (a long GC pause, a VM migration, a laptop lid) for longer than
// the call timeout, then resumed with SIGCONT. Calls to it time out and are retried; a timeout
// is never a yes, so nothing commits without it; once it runs again everything converges.
import { Person, health } from "../support/api";
import { databasesConverged, eventEverywhere, waitQuiescent } from "../support/convergence";
import { expect, expectEventPageEverywhere, photo, test } from "../support/crash-test";
import { waitFor } from "../support/wait";

test("a site frozen with SIGSTOP for longer than the call timeout, then resumed: everything converges", async ({ cluster, browser }) => {
  const mia = await new Person("Mia", cluster.url("s0")).join();
  const bob = await new Person("Bob", cluster.url("s1")).join();
  const first = await mia.createCommittedEvent("Before the freeze");
  await eventEverywhere(cluster, mia, first);
  await waitQuiescent(cluster);

  cluster.freeze("s2");
  const frozenAtMs = Date.now();
  // While s2 is frozen: a new event on s0 and a photo on s1 both wait for it.
  const [created, added] = await Promise.all([mia.createEvent("During the freeze"), bob.addPhoto(first, await photo(51))]);
  expect(created.status).toBe(202);
  expect(added.status).toBe(202);
  const second = created.ok ? created.data.eventId : "";
  const photoId = added.ok ? added.data.photoId : "";
  expect(created.ok && created.data.sites.find((s) => s.siteId === "s2")?.acknowledged).toBe(false);
  expect(added.ok && added.data.sites.find((s) => s.siteId === "s2")?.acknowledged).toBe(false);

  // The freeze outlasts the call timeout (1 s): the others see s2 unreachable, calls timing out.
  for (const siteId of ["s0", "s1"]) {
    await waitFor(`${siteId} sees s2 unreachable`, async () => {
      const peer = (await health(cluster.url(siteId))).peers.find((p) => p.siteId === "s2");
      return peer && !peer.reachable && (peer.backlog ?? 0) > 0 ? peer : undefined;
    });
  }
  expect(Date.now() - frozenAtMs).toBeGreaterThan(1_000);
  for (const [who, txId] of [
    [mia, created.ok ? created.data.txId : ""],
    [bob, added.ok ? added.data.txId : ""],
  ] as const) {
    const tx = await who.transaction(txId);
    expect(tx.ok && tx.data.status).toBe("pending");
  }

  cluster.thaw("s2");
  await eventEverywhere(cluster, mia, second, (v) => v.status === "open");
  const views = await eventEverywhere(cluster, mia, first, (v) => v.montage.version === 1);
  for (const view of Object.values(views)) expect(view.photos.map((p) => p.photoId)).toEqual([photoId]);
  await waitQuiescent(cluster);
  const states = await databasesConverged(cluster);
  for (const state of states) expect(state.events.map((e) => e.id).sort()).toEqual([first, second].sort());
  await expectEventPageEverywhere(browser, cluster, bob, first, { title: "Before the freeze", version: 1, photos: 1 });
});
