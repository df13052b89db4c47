// A double submit (two identical POSTs at once) and a reload (the same POST again, later, also
// while the first is still pending) with the same Idempotency-Key act once: one event, one
// photo, on every site, and every answer names the same one.
import { Person } from "../support/api";
import { databasesConverged, eventEverywhere, waitQuiescent } from "../support/convergence";
import { expect, photo, test } from "../support/crash-test";
import { readSiteState } from "../support/state-digest";

test("double submit and reload with the same Idempotency-Key act once", async ({ cluster, page }) => {
  const mia = await new Person("Mia", cluster.url("s1")).join();

  // ---- double submit: two identical requests at the same moment ----
  const [a, b] = await Promise.all([
    mia.createEvent("Double click", { idempotencyKey: "dbl-create-0001" }),
    mia.createEvent("Double click", { idempotencyKey: "dbl-create-0001" }),
  ]);
  expect(a.ok && b.ok).toBe(true);
  const eventId = a.ok ? a.data.eventId : "";
  expect(b.ok && b.data.eventId).toBe(eventId);
  const bytes = await photo(61);
  const [p, q] = await Promise.all([
    mia.addPhoto(eventId, bytes, { idempotencyKey: "dbl-photo-0001" }),
    mia.addPhoto(eventId, bytes, { idempotencyKey: "dbl-photo-0001" }),
  ]);
  expect(p.ok && q.ok).toBe(true);
  const photoId = p.ok ? p.data.photoId : "";
  expect(q.ok && q.data.photoId).toBe(photoId);
  if (p.ok && p.data.status !== "committed") await mia.committed(p.data.txId);

  // ---- reload after the answer: the stored answer, nothing new ----
  const reloaded = await mia.createEvent("Double click", { idempotencyKey: "dbl-create-0001" });
  expect(reloaded.ok && reloaded.data).toMatchObject({ eventId, status: "committed" });
  const reloadedPhoto = await mia.addPhoto(eventId, bytes, { idempotencyKey: "dbl-photo-0001" });
  expect(reloadedPhoto.ok && reloadedPhoto.data).toMatchObject({ photoId, status: "committed" });

  // ---- reload while pending (a site is down), and again once it is back ----
  await waitQuiescent(cluster);
  await cluster.kill("s3");
  const pending = await mia.createEvent("Reloaded while pending", { idempotencyKey: "reload-create-0001" });
  expect(pending.ok && pending.data.status).toBe("pending");
  const pendingId = pending.ok ? pending.data.eventId : "";
  const pendingTx = pending.ok ? pending.data.txId : "";
  const again = await mia.createEvent("Reloaded while pending", { idempotencyKey: "reload-create-0001" });
  expect(again.ok && again.data).toMatchObject({ eventId: pendingId, txId: pendingTx, status: "pending" });
  await cluster.start("s3");
  await eventEverywhere(cluster, mia, pendingId);
  const settled = await mia.createEvent("Reloaded while pending", { idempotencyKey: "reload-create-0001" });
  expect(settled.ok && settled.data).toMatchObject({ eventId: pendingId, txId: pendingTx, status: "committed" });

  // ---- a double click on the page's button ----
  const context = page.context();
  await context.addCookies([{ name: "groupshot", value: (mia.cookie ?? "").replace(/^groupshot=/, ""), domain: "127.0.0.1", path: "/" }]);
  await page.goto(cluster.url("s1"));
  await expect(page.getByText("Creating as")).toBeVisible(); // hydrated, the session known
  await page.getByLabel("Event title").fill("Clicked twice");
  await page.getByRole("button", { name: "Create event" }).dblclick();
  await page.waitForURL(/\/e\/ev_[a-z0-9]+/);

  await waitQuiescent(cluster);
  const states = await databasesConverged(cluster);
  for (const state of states) {
    expect(state.events.map((e) => e.title).sort()).toEqual(["Clicked twice", "Double click", "Reloaded while pending"]);
    expect(state.photos.map((ph) => ph.id)).toEqual([photoId]);
  }
  // Only one transaction per request was ever decided at s1 (3 events + 1 photo).
  expect(readSiteState("s1", cluster.dataDir("s1")).decided.commit).toBe(4);
});
