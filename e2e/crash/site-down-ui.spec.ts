// One site is down while a person creates an event and uploads a photo in a real browser. The
// page is honest: it says "pending", which sites have answered, and completes by itself once
// the site is back (no reload, no click). Afterwards every site has the event and the photo.
import { Person } from "../support/api";
import { databasesConverged, eventEverywhere, waitQuiescent } from "../support/convergence";
import { expect, expectEventPageEverywhere, photo, test } from "../support/crash-test";

test("a site is down during create event and add photo: the page shows pending and who answered, then completes by itself", async ({ cluster, page, browser }) => {
  await cluster.kill("s3");

  // ---- create event, in the browser, on s0 ----
  await page.goto(cluster.url("s0"));
  await page.getByLabel("Your name").fill("Mia");
  await page.getByLabel("Event title").fill("Picnic with s3 down");
  await page.getByRole("button", { name: "Create event" }).click();
  await page.waitForURL(/\/e\/ev_[a-z0-9]+\?tx=/);
  const eventId = /\/e\/(ev_[a-z0-9]+)/.exec(page.url())?.[1] ?? "";

  const creating = page.locator(".banner-pending", { hasText: "Saving this event on every server" });
  await expect(creating).toContainText("waiting for 1 of the 4 servers to confirm");
  await expect(creating.getByRole("list", { name: "Confirmed by 3 of 4 servers" })).toBeVisible();
  await expect(page.locator(".event-head .badge")).toHaveText("Being created");

  await cluster.start("s3");
  // No reload: the page follows the transaction and shows the event once it is committed.
  await expect(page.locator(".event-head .badge")).toHaveText("Collecting photos", { timeout: 60_000 });
  await expect(creating).toHaveCount(0);

  // ---- add photo, in the browser, with s3 down again ----
  await waitQuiescent(cluster);
  await cluster.kill("s3");
  await page.getByLabel("Photo files").setInputFiles({ name: "lake.jpg", mimeType: "image/jpeg", buffer: Buffer.from(await photo(21)) });
  const upload = page.getByRole("list", { name: "Your uploads" }).getByRole("listitem").filter({ hasText: "lake.jpg" });
  await expect(upload).toContainText("Received. Waiting for 1 of the 4 servers to confirm — it will complete by itself.", { timeout: 60_000 });
  await expect(upload.getByRole("list", { name: "Confirmed by 3 of 4 servers" })).toBeVisible();
  await expect(page.locator(".banner-pending", { hasText: "1 photo received" })).toContainText("waiting for 1 of the 4 servers to confirm");

  await cluster.start("s3");
  await expect(upload).toContainText("✓ Added", { timeout: 60_000 });
  await expect(page.locator(".montage-figure")).toHaveAttribute("data-montage-version", "1");
  await expect(page.getByRole("region", { name: "Photos", exact: true })).toContainText("1 photo by 1 person");

  // Every site has both, identically; nothing is left to deliver.
  const session = (await page.context().cookies()).find((c) => c.name === "groupshot");
  const mia = new Person("Mia", cluster.url("s0"));
  mia.cookie = `groupshot=${session?.value ?? ""}`;
  await eventEverywhere(cluster, mia, eventId, (v) => v.montage.version === 1 && v.photos.length === 1);
  await waitQuiescent(cluster);
  await databasesConverged(cluster);
  await expectEventPageEverywhere(browser, cluster, mia, eventId, { title: "Picnic with s3 down", status: "Collecting photos", version: 1, photos: 1 });
});
