// The home site (coordinator) is SIGKILLed after it has durably logged COMMIT and before any
// DECISION left it (failpoint coordinator.after-log-decision). The participants stay prepared,
// in doubt; after the restart the coordinator re-sends the logged decision from its log and
// the change reaches every site. The person's retry with the same Idempotency-Key acts once.
import { NoAnswer, Person, health } from "../support/api";
import { databasesConverged, eventEverywhere, waitQuiescent } from "../support/convergence";
import { expect, expectEventPageEverywhere, photo, test } from "../support/crash-test";
import { readPrepared } from "../support/state-digest";
import { waitFor } from "../support/wait";

const participants = ["s1", "s2", "s3"];

test("create event, then add photo: the home site dies after logging the decision; after restart the outcome reaches all sites", async ({ cluster, browser }) => {
  const mia = await new Person("Mia", cluster.url("s0")).join();

  // ---- create event ----
  await cluster.armFailpoints("s0", "coordinator.after-log-decision");
  const createKey = "crash-home-create-1";
  await expect(mia.createEvent("Crash birthday", { idempotencyKey: createKey })).rejects.toBeInstanceOf(NoAnswer);
  expect((await cluster.waitExit("s0")).signal).toBe("SIGKILL");

  // Every other site voted yes (the decision was COMMIT) and now waits, in doubt.
  const prepared = readPrepared(cluster.dataDir("s1")).filter((p) => p.kind === "create-event");
  expect(prepared).toHaveLength(1);
  const { txId, coordinator } = prepared[0]!;
  const eventId = String(prepared[0]!.data.eventId);
  expect(coordinator).toBe("s0");
  for (const siteId of participants) {
    await waitFor(`${siteId} in doubt about ${txId}`, async () => ((await health(cluster.url(siteId))).inDoubt.some((t) => t.txId === txId && t.coordinator === "s0") ? true : undefined));
    // Prepared is invisible: nobody shows the event before the decision arrives.
    expect((await mia.event(eventId, cluster.url(siteId))).status).toBe(404);
  }

  await cluster.start("s0");
  await eventEverywhere(cluster, mia, eventId, (v) => v.status === "open");
  expect((await mia.transaction(txId)).ok && (await mia.transaction(txId))).toMatchObject({ data: { status: "committed" } });
  // The lost answer is asked for again with the same key: the same event, not a second one.
  const retried = await mia.createEvent("Crash birthday", { idempotencyKey: createKey });
  expect(retried.ok && retried.data).toMatchObject({ eventId, status: "committed" });

  // ---- add photo ----
  await waitQuiescent(cluster);
  await cluster.armFailpoints("s0", "coordinator.after-log-decision");
  const photoKey = "crash-home-photo-1";
  const bytes = await photo(1);
  await expect(mia.addPhoto(eventId, bytes, { idempotencyKey: photoKey })).rejects.toBeInstanceOf(NoAnswer);
  expect((await cluster.waitExit("s0")).signal).toBe("SIGKILL");
  const preparedPhoto = readPrepared(cluster.dataDir("s2")).filter((p) => p.kind === "add-photo");
  expect(preparedPhoto).toHaveLength(1);
  const photoId = String(preparedPhoto[0]!.data.photoId);
  for (const siteId of participants) {
    const view = await mia.event(eventId, cluster.url(siteId));
    expect(view.ok && view.data.photos).toEqual([]);
  }

  await cluster.start("s0");
  const views = await eventEverywhere(cluster, mia, eventId, (v) => v.montage.version === 1);
  for (const view of Object.values(views)) expect(view.photos.map((p) => p.photoId)).toEqual([photoId]);
  const retriedPhoto = await mia.addPhoto(eventId, bytes, { idempotencyKey: photoKey });
  expect(retriedPhoto.ok && retriedPhoto.data).toMatchObject({ photoId, status: "committed" });

  // Nothing left to deliver or decide, and the four databases hold the same single event.
  await waitQuiescent(cluster);
  const states = await databasesConverged(cluster);
  for (const state of states) {
    expect(state.events.map((e) => e.id)).toEqual([eventId]);
    expect(state.photos.map((p) => p.id)).toEqual([photoId]);
  }
  await expectEventPageEverywhere(browser, cluster, mia, eventId, { title: "Crash birthday", status: "Collecting photos", version: 1, photos: 1 });
});
