// A person's browser crashes mid-session (the context is closed with the page open). They open
// a new browser with the same cookie (storageState) and find their photos and their ballot
// exactly as they left them, on their site, and every other site has them too.
import { Person } from "../support/api";
import { eventEverywhere, waitQuiescent } from "../support/convergence";
import { expect, photo, test } from "../support/crash-test";

test.use({ clusterOptions: { env: { BALLOT_WINDOW_MS: "300000" } } });

test("browser crash: a new browser with the same cookie shows the person's photos and ballot as they left them", async ({ cluster, browser }) => {
  const first = await browser.newContext();
  const page = await first.newPage();
  await page.goto(cluster.url("s1"));
  await page.getByLabel("Your name").fill("Mia");
  await page.getByLabel("Event title").fill("Lake weekend");
  await page.getByRole("button", { name: "Create event" }).click();
  await page.waitForURL(/\/e\/ev_[a-z0-9]+/);
  const eventId = /\/e\/(ev_[a-z0-9]+)/.exec(page.url())?.[1] ?? "";
  await expect(page.locator(".event-head .badge")).toHaveText("Collecting photos", { timeout: 60_000 });

  // Two photos from Mia, in the browser.
  await page.getByLabel("Photo files").setInputFiles([
    { name: "boat.jpg", mimeType: "image/jpeg", buffer: Buffer.from(await photo(31)) },
    { name: "dock.jpg", mimeType: "image/jpeg", buffer: Buffer.from(await photo(32)) },
  ]);
  const uploads = page.getByRole("list", { name: "Your uploads" });
  await expect(uploads.getByRole("listitem").filter({ hasText: "boat.jpg" })).toContainText("Added", { timeout: 60_000 });
  await expect(uploads.getByRole("listitem").filter({ hasText: "dock.jpg" })).toContainText("Added", { timeout: 60_000 });

  // One photo from Bob on another site, so Mia's accept opens a window without deciding it.
  const bob = await new Person("Bob", cluster.url("s2")).join();
  await eventEverywhere(cluster, bob, eventId, (v) => v.montage.version === 2);
  await bob.addCommittedPhoto(eventId, await photo(33));

  await expect(page.locator(".montage-figure")).toHaveAttribute("data-montage-version", "3", { timeout: 60_000 });
  await page.getByRole("button", { name: "Accept this montage" }).click();
  await expect(page.getByRole("heading", { name: "You accepted this montage" })).toBeVisible();

  // The browser dies with the page open.
  const saved = await first.storageState();
  await first.close();

  const second = await browser.newContext({ storageState: saved });
  const again = await second.newPage();
  await again.goto(`${cluster.url("s1")}/e/${eventId}`);
  await expect(again.getByRole("heading", { name: "You accepted this montage" })).toBeVisible();
  await expect(again.locator(".event-head .badge")).toHaveText("Ballot open");
  const photos = again.getByRole("region", { name: "Photos", exact: true });
  await expect(photos).toContainText("3 photos by 2 people");
  await expect(photos.getByText("Mia (you)")).toHaveCount(2);
  await expect(again.getByText("1 of 2")).toBeVisible();
  await expect(again.getByRole("button", { name: /Accept version/ })).toHaveCount(0);
  await second.close();

  // Every site has Mia's two photos and her accept for version 3.
  const mia = new Person("Mia", cluster.url("s1"));
  mia.cookie = `groupshot=${saved.cookies.find((c) => c.name === "groupshot")?.value ?? ""}`;
  const views = await eventEverywhere(cluster, mia, eventId, (v) => v.round?.ballots.some((b) => b.name === "Mia" && b.decision === "accept") === true);
  for (const view of Object.values(views)) {
    expect(view.photos.filter((p) => p.uploaderName === "Mia")).toHaveLength(2);
    expect(view.viewer).toMatchObject({ name: "Mia", isContributor: true, photoCount: 2, ballot: "accept" });
    expect(view.status).toBe("voting");
  }
  await waitQuiescent(cluster);
});
