// The admin link, link previews and the live wall in a real browser against real sites (no
// mocks): a creator on a new browser opens the admin link and closes the event; the share and
// public links carry OpenGraph/Twitter tags with absolute URLs (a neutral card, then the
// published montage); the wall shows a photo the moment it lands. Screenshots go to
// test-results/screens/links-*.png.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { makePhoto } from "../../lib/images/fixtures";
import { Cluster } from "../support/cluster";
import { Person, anonymous, expectEverySite } from "../api/support/people";
import type { APIRequestContext } from "@playwright/test";

const SCREENS_DIR = join(process.cwd(), "test-results", "screens");

let cluster: Cluster;
let observer: APIRequestContext;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await Cluster.start({ count: 2, env: { BALLOT_WINDOW_MS: "30000" } });
  observer = await anonymous();
  mkdirSync(SCREENS_DIR, { recursive: true });
});

test.afterAll(async () => {
  await observer?.dispose();
  await cluster?.stop();
});

test.use({ reducedMotion: "reduce" });

let seed = 2100;
const photo = () => makePhoto({ seed: seed++, widthPx: 320, heightPx: 240 });

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENS_DIR, `links-${name}.png`), fullPage: true });
}

/** The content of a <meta property|name="key"> in the page's HTML as a chat app fetches it (no JavaScript). */
async function metaTags(url: string): Promise<Record<string, string>> {
  const response = await observer.get(url);
  expect(response.status()).toBe(200);
  const html = await response.text();
  const tags: Record<string, string> = {};
  for (const match of html.matchAll(/<meta\s+(?:property|name)="([^"]+)"\s+content="([^"]*)"/g)) tags[match[1]!] = match[2]!.replace(/&amp;/g, "&");
  return tags;
}

test("a creator on a new browser opens the admin link, gets the creator's tools and closes the event", async ({ browser }) => {
  const ana = await Person.join(cluster, "s0", "Ana");
  const ben = await Person.join(cluster, "s1", "Ben");
  const created = await ana.createEvent("Admin link journey");
  expect(created.adminUrl).not.toBeNull();
  await expectEverySite(cluster, observer, created.eventId, (v) => v.eventId, created.eventId);
  await ben.upload(created.eventId, await photo());
  // The link names s0 (PUBLIC_URL); Ana's new browser happens to reach s1.
  const adminOnS1 = created.adminUrl!.replace(cluster.url("s0"), cluster.url("s1"));

  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(adminOnS1);
  await expect(page.getByRole("heading", { name: "Admin link" })).toBeVisible();
  await page.getByLabel("Your name").fill("Ana (phone)");
  await page.getByRole("button", { name: "Join" }).click();
  await page.waitForURL(`**/e/${created.eventId}`);
  expect(page.url()).not.toContain("#");
  const tools = page.getByRole("region", { name: "Creator tools" });
  await expect(tools).toBeVisible();
  await expect(page.getByRole("button", { name: /Remove Ben's photo/ })).toBeVisible();
  await shoot(page, "admin-tools-phone");
  await tools.getByRole("button", { name: "Close to new contributors" }).click();
  await expect(tools).toContainText("Closed to new contributors");
  await expectEverySite(cluster, observer, created.eventId, (v) => v.closed, true);
  await tools.getByRole("button", { name: "Reopen to new contributors" }).click();
  await expectEverySite(cluster, observer, created.eventId, (v) => v.closed, false);

  // An altered link says so and grants nothing.
  await page.goto(`${adminOnS1.slice(0, -1)}${adminOnS1.endsWith("A") ? "B" : "A"}`);
  await expect(page.getByRole("heading", { name: "This admin link does not work" })).toBeVisible();
  await shoot(page, "admin-refused-phone");
  await context.close();
  await Promise.all([ana.dispose(), ben.dispose()]);
});

test("the share link previews with the title, who took how many photos and a neutral card; the public link with the published montage", async ({ browser }) => {
  const ana = await Person.join(cluster, "s0", "Ana");
  const created = await ana.createEvent("Lake picnic");
  await ana.upload(created.eventId, await photo());
  await ana.upload(created.eventId, await photo());
  const base = cluster.url("s0");

  const before = await metaTags(`${base}/e/${created.eventId}`);
  expect(before).toMatchObject({
    "og:title": "Lake picnic",
    "og:description": "2 photos by Ana. Add yours: the montage is published only when everyone agrees.",
    "og:url": `${base}/e/${created.eventId}`,
    "og:image": `${base}/og-card.png`,
    "og:image:width": "1200",
    "og:image:height": "630",
    "twitter:card": "summary_large_image",
    "twitter:title": "Lake picnic",
    "twitter:image": `${base}/og-card.png`,
  });
  const card = await observer.get(before["og:image"]!);
  expect(card.status()).toBe(200);
  expect(card.headers()["content-type"]).toBe("image/png");

  // The creator's page on a laptop (the share link shown whole) and the wall.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState: await ana.http.storageState() });
  const page = await context.newPage();
  await page.goto(`${base}/e/${created.eventId}`);
  const share = page.getByRole("textbox", { name: "Share link" });
  await expect(share).toHaveValue(created.url);
  // Shown whole: the field is as tall as its wrapped text, nothing scrolled out of sight.
  expect(await share.evaluate((el) => el.scrollHeight <= el.clientHeight + 2 && el.scrollWidth <= el.clientWidth + 2)).toBe(true);
  await expect(page.getByText("How this is kept safe")).toBeVisible();
  await expect(page.getByText("Replicas")).toHaveCount(0);
  await shoot(page, "event-laptop");

  await ana.vote(created.eventId, 2, "accept");
  await expectEverySite(cluster, observer, created.eventId, (v) => v.status, "published", 30_000);
  const after = await metaTags(`${base}/p/${created.eventId}`);
  expect(after["og:image"]).toBe(`${base}/api/events/${created.eventId}/montage?v=2&size=preview`);
  expect(after["og:url"]).toBe(`${base}/p/${created.eventId}`);
  expect(after["og:description"]).toBe("2 photos by Ana. The montage everyone agreed on.");
  const montage = await observer.get(after["og:image"]!);
  expect(montage.status(), "the preview image is public once published").toBe(200);
  await context.close();
  await ana.dispose();
});

test("the live wall shows a photo the moment it is committed; someone without a photo is told what to do", async ({ browser }) => {
  const ana = await Person.join(cluster, "s0", "Ana");
  const ben = await Person.join(cluster, "s1", "Ben");
  const created = await ana.createEvent("Party wall");
  await ana.upload(created.eventId, await photo());
  await expectEverySite(cluster, observer, created.eventId, (v) => v.montage.version, 1);

  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, storageState: await ana.http.storageState() });
  const wall = await context.newPage();
  await wall.goto(`${cluster.url("s0")}/e/${created.eventId}/wall`);
  await expect(wall.getByRole("main", { name: "Live wall of Party wall" })).toBeVisible();
  await expect(wall.locator(".wall-hero img")).toBeVisible();
  // Ben adds a photo on the other site: it lands on Ana's wall without a reload.
  const added = await ben.upload(created.eventId, await photo());
  await expect(wall.locator(`.wall-hero[data-photo-id="${added.photoId}"]`)).toBeVisible({ timeout: 20_000 });
  await expect(wall.locator(".wall-hero figcaption")).toHaveText("Ben");
  await expect(wall.getByText("2 photos by 2 people")).toBeVisible();
  await shoot(wall, "wall-laptop");

  const stranger = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await stranger.newPage();
  await other.goto(`${cluster.url("s1")}/e/${created.eventId}/wall`);
  await expect(other.getByText("The live wall is for the people who added a photo.")).toBeVisible();
  await expect(other.locator(".wall-hero img")).toHaveCount(0);
  await Promise.all([context.close(), stranger.close(), ana.dispose(), ben.dispose()]);
});
