// Network partitions through the harness's link proxies: every site reaches each peer through a
// loopback TCP proxy per directed pair, which the test cuts (connections reset, open keep-alive
// sockets destroyed) and heals. A partitioned site keeps serving its own users; its peers'
// backlog to it grows during the cut and drains after the heal, and it catches up.
import { Person, health } from "../support/api";
import { databasesConverged, eventEverywhere, waitQuiescent } from "../support/convergence";
import { expect, expectEventPageEverywhere, photo, test } from "../support/crash-test";
import { waitFor } from "../support/wait";

test.use({ clusterOptions: { partitions: true } });

const backlogTo = async (url: string, peer: string) => (await health(url)).peers.find((p) => p.siteId === peer)?.backlog ?? 0;

test("an isolated site keeps serving, its peers queue for it, and after the heal it catches up", async ({ cluster, browser }) => {
  const mia = await new Person("Mia", cluster.url("s0")).join();
  const bob = await new Person("Bob", cluster.url("s1")).join();
  const dan = await new Person("Dan", cluster.url("s3")).join();
  const first = await mia.createCommittedEvent("Before the cut");
  await eventEverywhere(cluster, mia, first);
  await waitQuiescent(cluster);

  cluster.isolate("s3");
  for (const siteId of ["s0", "s1", "s2"]) {
    await waitFor(`${siteId} sees s3 unreachable`, async () => ((await health(cluster.url(siteId))).peers.find((p) => p.siteId === "s3")?.reachable === false ? true : undefined));
  }
  const created = await mia.createEvent("During the cut");
  expect(created.ok && created.data.status).toBe("pending");
  expect(created.ok && created.data.sites.find((s) => s.siteId === "s3")?.acknowledged).toBe(false);
  const second = created.ok ? created.data.eventId : "";
  const added = await bob.addPhoto(first, await photo(71));
  expect(added.ok && added.data.status).toBe("pending");
  const photoId = added.ok ? added.data.photoId : "";

  // The backlog for s3 is visible on its peers' health while the cut lasts.
  await waitFor("backlog to s3 on s0 and s1", async () => ((await backlogTo(cluster.url("s0"), "s3")) > 0 && (await backlogTo(cluster.url("s1"), "s3")) > 0 ? true : undefined));
  // s3 is alone but up: it serves its own users from its own data, and sees nobody.
  const alone = await health(cluster.url("s3"));
  expect(alone.peers.every((p) => !p.reachable)).toBe(true);
  const seenAtS3 = await dan.event(first);
  expect(seenAtS3.ok && seenAtS3.data.photos).toEqual([]);
  expect((await dan.event(second)).status).toBe(404);

  cluster.healAll();
  await eventEverywhere(cluster, mia, second, (v) => v.status === "open");
  const views = await eventEverywhere(cluster, mia, first, (v) => v.montage.version === 1);
  for (const view of Object.values(views)) expect(view.photos.map((p) => p.photoId)).toEqual([photoId]);
  await waitQuiescent(cluster);
  expect(await backlogTo(cluster.url("s0"), "s3")).toBe(0);
  await databasesConverged(cluster);
  await expectEventPageEverywhere(browser, cluster, dan, first, { title: "Before the cut", status: "Collecting photos", version: 1 });
});

test("a cut between two sites blocks only what needs that link; a third site's coordinator commits through it", async ({ cluster }) => {
  const mia = await new Person("Mia", cluster.url("s0")).join();
  const cara = await new Person("Cara", cluster.url("s2")).join();
  const first = await mia.createCommittedEvent("Pairwise cut");
  await eventEverywhere(cluster, mia, first);
  await waitQuiescent(cluster);

  cluster.cut("s0", "s1");
  await waitFor("s0 sees s1 unreachable", async () => ((await health(cluster.url("s0"))).peers.find((p) => p.siteId === "s1")?.reachable === false ? true : undefined));
  // s2 reaches everyone: its photo commits although s0 and s1 cannot talk to each other.
  const photoId = await cara.addCommittedPhoto(first, await photo(72));
  // s0's new event needs s1's vote: pending until the link is back.
  const created = await mia.createEvent("Needs the cut link");
  expect(created.ok && created.data.status).toBe("pending");
  await waitFor("everyone but s1 has voted", async () => {
    const tx = await mia.transaction(created.ok ? created.data.txId : "");
    return tx.ok && tx.data.sites.map((s) => `${s.siteId}:${s.acknowledged}`).join(",") === "s0:true,s1:false,s2:true,s3:true" ? true : undefined;
  });
  await waitFor("backlog s0 → s1", async () => ((await backlogTo(cluster.url("s0"), "s1")) > 0 ? true : undefined));

  cluster.heal("s0", "s1");
  const second = created.ok ? created.data.eventId : "";
  await eventEverywhere(cluster, mia, second);
  const views = await eventEverywhere(cluster, mia, first, (v) => v.montage.version === 1);
  for (const view of Object.values(views)) expect(view.photos.map((p) => p.photoId)).toEqual([photoId]);
  await waitQuiescent(cluster);
  await databasesConverged(cluster);
});
