// A participant (not the coordinator) is SIGKILLed at its crash points:
//  - after logging its prepare, before replying: the coordinator never gets the vote and keeps
//    re-sending PREPARE; the person's answer is honest ("pending", three of four sites); after
//    the restart the site is prepared from its log, votes yes again, and the change commits;
//  - after replying yes, before applying the commit (two points): the decision is COMMIT and
//    the person is told "committed"; after the restart the site asks the coordinator
//    (INQUIRY) or gets the DECISION re-sent, and applies the commit.
import { Person, health } from "../support/api";
import { databasesConverged, eventEverywhere, waitQuiescent } from "../support/convergence";
import { expect, expectEventPageEverywhere, photo, test } from "../support/crash-test";
import { readTxLog } from "../support/state-digest";
import { waitFor } from "../support/wait";

test("create event: a participant dies after logging prepare, before replying; pending, then committed after its restart", async ({ cluster, browser }) => {
  const mia = await new Person("Mia", cluster.url("s0")).join();
  await cluster.armFailpoints("s2", "participant.after-log-prepare");

  const created = await mia.createEvent("Waiting for s2");
  expect(created.status).toBe(202);
  const answer = created.ok ? created.data : undefined;
  expect(answer?.status).toBe("pending");
  expect(answer?.sites.find((s) => s.siteId === "s2")?.acknowledged).toBe(false);
  expect((await cluster.waitExit("s2")).signal).toBe("SIGKILL");
  const { eventId, txId } = answer!;
  // s2 logged its prepare before it died, and never answered.
  expect(readTxLog(cluster.dataDir("s2"), txId).map((r) => r.kind)).toEqual(["participant.prepared"]);
  await waitFor("s0's backlog to s2", async () => ((await health(cluster.url("s0"))).peers.find((p) => p.siteId === "s2")?.backlog ?? 0) > 0 || undefined);
  // Honest: still pending, and it says which sites have voted (everyone but s2).
  await waitFor("the transaction pending on everyone but s2", async () => {
    const tx = await mia.transaction(txId);
    const acks = tx.ok ? tx.data.sites.map((s) => `${s.siteId}:${s.acknowledged}`).join(",") : "";
    return tx.ok && tx.data.status === "pending" && acks === "s0:true,s1:true,s2:false,s3:true" ? true : undefined;
  });

  await cluster.start("s2");
  await eventEverywhere(cluster, mia, eventId, (v) => v.status === "open");
  const committed = await mia.transaction(txId);
  expect(committed.ok && committed.data).toMatchObject({ status: "committed" });
  await waitQuiescent(cluster);
  await databasesConverged(cluster);
  await expectEventPageEverywhere(browser, cluster, mia, eventId, { title: "Waiting for s2", status: "Collecting photos" });
});

for (const failpoint of ["participant.after-reply", "participant.before-apply-commit"] as const) {
  test(`add photo: a participant dies at ${failpoint} (after voting yes, before applying the commit); after its restart it applies it`, async ({ cluster, browser }) => {
    const mia = await new Person("Mia", cluster.url("s1")).join();
    const eventId = await mia.createCommittedEvent(`Photo vs ${failpoint}`);
    // The creation must be applied everywhere first, or s3's restart would apply it (and crash).
    await waitQuiescent(cluster);
    await cluster.armFailpoints("s3", failpoint);

    // s3 voted yes, so the decision is COMMIT whatever s3 does next. The answer says so, or,
    // on a slow machine, "pending" until the coordinator has heard every vote.
    const added = await mia.addPhoto(eventId, await photo(7));
    expect([201, 202]).toContain(added.status);
    const { photoId, txId } = added.ok ? added.data : { photoId: "", txId: "" };
    expect((await cluster.waitExit("s3")).signal).toBe("SIGKILL");
    await waitFor(`${txId} committed at its coordinator`, async () => {
      const tx = await mia.transaction(txId);
      return tx.ok && tx.data.status === "committed" ? true : undefined;
    });
    const s3Log = readTxLog(cluster.dataDir("s3"), txId).map((r) => r.kind);
    expect(s3Log[0]).toBe("participant.prepared");
    if (failpoint === "participant.before-apply-commit") expect(s3Log).toEqual(["participant.prepared"]);

    for (const siteId of ["s0", "s1", "s2"]) {
      await waitFor(`photo on ${siteId}`, async () => {
        const view = await mia.event(eventId, cluster.url(siteId));
        return view.ok && view.data.photos.some((p) => p.photoId === photoId) ? true : undefined;
      });
    }

    await cluster.start("s3");
    const views = await eventEverywhere(cluster, mia, eventId, (v) => v.montage.version === 1);
    for (const view of Object.values(views)) expect(view.photos.map((p) => p.photoId)).toEqual([photoId]);
    expect(readTxLog(cluster.dataDir("s3"), txId).map((r) => r.kind)).toEqual(["participant.prepared", "participant.committed"]);
    await waitQuiescent(cluster);
    await databasesConverged(cluster);
    await expectEventPageEverywhere(browser, cluster, mia, eventId, { title: `Photo vs ${failpoint}`, version: 1, photos: 1 });
  });
}
