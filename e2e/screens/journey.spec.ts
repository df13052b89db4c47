// The whole product in a real browser against real sites (no mocks): Mia creates an event on
// s0 and adds photos, Ben opens the share link on s1, joins and adds one, both accept, and the
// published montage is public on both sites. Screenshots of the real pages go to
// test-results/screens/journey-*.png.
//
// JOURNEY_SITES="http://127.0.0.1:8110,http://127.0.0.1:8111" uses two running sites;
// without it the spec starts two sites itself (after `next build`).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import sharp from "sharp";
import { Cluster } from "../support/cluster";
import { photoSvg } from "./fixtures";

const SCREENS_DIR = join(process.cwd(), "test-results", "screens");

const test = base.extend<{ sites: string[] }, { siteUrls: string[] }>({
  siteUrls: [
    // eslint-disable-next-line no-empty-pattern -- Playwright wants the fixtures object
    async ({}, use) => {
      const given = process.env.JOURNEY_SITES;
      if (given) {
        await use(given.split(",").map((url) => url.trim().replace(/\/+$/, "")));
        return;
      }
      const cluster = await Cluster.start({ count: 2, env: { BALLOT_WINDOW_MS: "45000" } });
      try {
        await use(cluster.sites.map((s) => s.url));
      } finally {
        await cluster.stop();
      }
    },
    { scope: "worker", timeout: 120_000 },
  ],
  sites: async ({ siteUrls }, use) => use(siteUrls),
});

test.use({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" });

async function photo(name: string, scene: number) {
  const buffer = await sharp(Buffer.from(photoSvg(scene))).resize(800, 600).jpeg({ quality: 85 }).toBuffer();
  return { name, mimeType: "image/jpeg", buffer };
}

async function shoot(page: Page, screen: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
  await page.screenshot({ path: join(SCREENS_DIR, `journey-${screen}.png`), fullPage: true, animations: "disabled" });
}

test("create, share, contribute on two sites, accept, publish", async ({ browser, sites }) => {
  test.setTimeout(180_000);
  const [s0, s1] = sites;
  if (!s0 || !s1) throw new Error("the journey needs two sites");

  // Mia, on s0: names herself while creating the event.
  const mia = await (await browser.newContext()).newPage();
  await mia.goto(s0);
  await mia.getByLabel("Your name").fill("Mia");
  await mia.getByLabel("Event title").fill("Climbing weekend");
  await mia.getByRole("button", { name: "Create event" }).click();
  await expect(mia).toHaveURL(/\/e\/[^/?]+/);
  await expect(mia.getByRole("heading", { level: 1, name: "Climbing weekend" })).toBeVisible();
  await expect(mia.getByText("Collecting photos")).toBeVisible();
  const shareLink = await mia.getByRole("textbox", { name: "Share link" }).inputValue();
  expect(shareLink).toContain("/e/");

  await mia.getByLabel("Photo files").setInputFiles([await photo("crag.jpg", 0), await photo("camp.jpg", 1)]);
  const miaUploads = mia.getByRole("list", { name: "Your uploads" });
  await expect(miaUploads.getByText(/^✓ Added/)).toHaveCount(2, { timeout: 30_000 });
  await expect(mia.getByText("2 photos by 1 person")).toBeVisible();

  // Ben opens the same link on s1 (his nearest site), joins and adds a photo.
  const ben = await (await browser.newContext()).newPage();
  const benLink = new URL(new URL(shareLink).pathname, s1).toString();
  await ben.goto(benLink);
  await expect(ben.getByRole("heading", { name: /Join “Climbing weekend”/ })).toBeVisible({ timeout: 20_000 });
  await expect(ben.getByText("Only contributors can see the montage until it's published.")).toBeVisible();
  await ben.getByLabel("Your name").fill("Ben");
  await ben.getByRole("button", { name: "Join" }).click();
  await ben.getByLabel("Photo files").setInputFiles([await photo("summit.jpg", 2)]);
  await expect(ben.getByRole("list", { name: "Your uploads" }).getByText(/^✓ Added/)).toBeVisible({ timeout: 30_000 });
  await expect(ben.locator(".montage-image")).toBeVisible();

  // Mia sees Ben's photo arrive without reloading, accepts, and the window opens for everyone.
  await expect(mia.getByText("3 photos by 2 people")).toBeVisible({ timeout: 20_000 });
  await mia.getByRole("button", { name: "Accept this montage" }).click();
  await expect(mia.getByRole("heading", { name: "You accepted this montage" })).toBeVisible();
  await expect(ben.getByText("Ballot open", { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(ben.getByText("Uploads are paused while the ballot window is open.", { exact: false })).toBeVisible();
  await shoot(ben, "ballot-open");

  await ben.getByRole("button", { name: "Accept this montage" }).click();
  await expect(ben.getByText("Published", { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await expect(mia.getByText("Published", { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await shoot(mia, "published-event");

  // Public on both sites, without a cookie; the download is the full-size image.
  const stranger = await (await browser.newContext()).newPage();
  const eventPath = new URL(shareLink).pathname.replace("/e/", "/p/");
  await stranger.goto(new URL(eventPath, s1).toString());
  await expect(stranger.getByRole("heading", { level: 1, name: "Climbing weekend" })).toBeVisible();
  const download = stranger.getByRole("link", { name: "Download full size" });
  const href = await download.getAttribute("href");
  expect(href).toBeTruthy();
  const response = await stranger.request.get(new URL(href ?? "", s1).toString());
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^image\//);
  await shoot(stranger, "public-page");

  // Newest first in the public gallery of the other site.
  await stranger.goto(s0);
  await expect(stranger.locator(".gallery-link").first()).toHaveAttribute("href", eventPath);
  await shoot(stranger, "home-gallery");

  // The site's own status page: its peer reachable, nothing in doubt, the log of what happened.
  await stranger.goto(new URL("/status", s0).toString());
  await expect(stranger.getByRole("heading", { level: 1, name: "Site s0" })).toBeVisible();
  await expect(stranger.locator(".peer-up")).toHaveCount(sites.length - 1);
  await expect(stranger.getByText("None — every prepared transaction has a decision.")).toBeVisible();
  await expect(stranger.locator(".log-line").first()).toBeVisible();
  await shoot(stranger, "status");
});

test("a reject ends the round for everyone, says who, and reopens uploads", async ({ browser, sites }) => {
  test.setTimeout(120_000);
  const [s0, s1] = sites;
  if (!s0 || !s1) throw new Error("the journey needs two sites");

  const mia = await (await browser.newContext()).newPage();
  await mia.goto(s0);
  await mia.getByLabel("Your name").fill("Mia");
  await mia.getByLabel("Event title").fill("Board game night");
  await mia.getByRole("button", { name: "Create event" }).click();
  await expect(mia.getByText("Collecting photos")).toBeVisible();
  await mia.getByLabel("Photo files").setInputFiles([await photo("table.jpg", 5)]);
  await expect(mia.getByRole("list", { name: "Your uploads" }).getByText(/^✓ Added/)).toBeVisible({ timeout: 30_000 });
  const shareLink = await mia.getByRole("textbox", { name: "Share link" }).inputValue();

  const sam = await (await browser.newContext()).newPage();
  await sam.goto(new URL(new URL(shareLink).pathname, s1).toString());
  await sam.getByLabel("Your name").fill("Sam");
  await sam.getByRole("button", { name: "Join" }).click();
  await sam.getByLabel("Photo files").setInputFiles([await photo("dice.jpg", 6)]);
  await expect(sam.getByRole("list", { name: "Your uploads" }).getByText(/^✓ Added/)).toBeVisible({ timeout: 30_000 });

  await expect(mia.getByRole("button", { name: "Accept this montage" })).toBeVisible({ timeout: 20_000 });
  await mia.getByRole("button", { name: "Accept this montage" }).click();
  await expect(sam.getByText("Ballot open", { exact: true })).toBeVisible({ timeout: 20_000 });
  await sam.getByRole("button", { name: "Reject" }).click();
  await sam.getByRole("button", { name: "Yes, reject" }).click();

  for (const page of [sam, mia]) {
    await expect(page.locator(".banner-warning")).toContainText("The last vote ended without publishing.", { timeout: 30_000 });
    await expect(page.locator(".banner-warning")).toContainText("Sam rejected the montage.");
    // Numbered rounds: accepting the same montage again opens round 2 of it.
    await expect(page.getByRole("heading", { name: "Try again: Round 2" })).toBeVisible();
    await expect(page.getByText("Collecting photos")).toBeVisible();
    await expect(page.getByRole("button", { name: "Choose photos" })).toBeVisible();
  }
  await shoot(mia, "round-aborted");
});
