// Every screen of the product, on a laptop and on a phone, against a real site (scripts/site.sh)
// whose public API is replaced by fixtures (mock-api.ts). Screenshots go to
// test-results/screens/<screen>-<device>.png for people to look at; the assertions check
// what each screen must say.
//
// SCREENS_BASE_URL=http://127.0.0.1:8100 uses a site you started; without it the spec starts
// one site itself (after `next build`), so it also runs inside `npm test`.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import sharp from "sharp";
import { Cluster } from "../support/cluster";
import {
  abortedEvent,
  ackedExcept,
  allAcked,
  emptyEvent,
  healthWithPeerDown,
  pendingEvent,
  people,
  photoSvg,
  publishedEvent,
  publishedItems,
  statusLog,
  uploadEvent,
  visitorEvent,
  votingEvent,
} from "./fixtures";
import { mockApi, newMockApi, pushChanged, type MockApi } from "./mock-api";

const SCREENS_DIR = join(process.cwd(), "test-results", "screens");

const test = base.extend<{ site: string }, { siteUrl: string }>({
  siteUrl: [
    // eslint-disable-next-line no-empty-pattern -- Playwright wants the fixtures object
    async ({}, use) => {
      const given = process.env.SCREENS_BASE_URL;
      if (given) {
        await use(given.replace(/\/+$/, ""));
        return;
      }
      const cluster = await Cluster.start({ count: 1 });
      try {
        await use(cluster.url("s0"));
      } finally {
        await cluster.stop();
      }
    },
    { scope: "worker", timeout: 120_000 },
  ],
  site: async ({ siteUrl }, use) => use(siteUrl),
});

const devices = [
  { name: "laptop", use: { viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false } },
  { name: "phone", use: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
] as const;

const statusNow = () => healthWithPeerDown();

/** A real JPEG of one of the fixture scenes, padded to `sizeBytes` (browsers ignore the tail). */
async function photoFile(name: string, scene: number, sizeBytes: number, mimeType = "image/jpeg") {
  const jpeg = await sharp(Buffer.from(photoSvg(scene))).resize(160, 120).jpeg({ quality: 80 }).toBuffer();
  return { name, mimeType, buffer: Buffer.concat([jpeg, Buffer.alloc(Math.max(0, sizeBytes - jpeg.length))]) };
}

/** Waits until images have loaded and nothing is still fading in, then saves the full page. */
async function shoot(page: Page, screen: string, device: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  // A full-page shot shows images below the fold too: load the lazy ones now.
  await page.evaluate(() => document.querySelectorAll("img[loading=lazy]").forEach((img) => ((img as HTMLImageElement).loading = "eager")));
  await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
  await page.screenshot({ path: join(SCREENS_DIR, `${screen}-${device}.png`), fullPage: true, animations: "disabled" });
}

async function open(page: Page, site: string, path: string, api: MockApi): Promise<void> {
  await mockApi(page, api);
  await page.goto(`${site}${path}`);
}

for (const device of devices) {
  test.describe(device.name, () => {
    test.use({ ...device.use, reducedMotion: "reduce" });

    test("home without a session and with an empty gallery", async ({ page, site }) => {
      await open(page, site, "/", newMockApi({ health: statusNow() }));
      await expect(page.getByRole("heading", { level: 1 })).toContainText("published only when the whole group says yes");
      await expect(page.getByLabel("Your name")).toBeVisible();
      await expect(page.getByText("No montages published yet")).toBeVisible();
      await expect(page.locator(".site-pill")).toContainText("Status");
      await expect(page.locator(".site-pill")).not.toContainText("s0");
      await shoot(page, "home-empty", device.name);
    });

    test("home form explains what is missing", async ({ page, site }) => {
      await open(page, site, "/", newMockApi({ health: statusNow() }));
      await page.getByRole("button", { name: "Create event" }).click();
      await expect(page.getByText("Please enter a name.")).toBeVisible();
      await expect(page.getByText("Please give the event a title.")).toBeVisible();
      await shoot(page, "home-errors", device.name);
    });

    test("home with a gallery; creating an event that is pending until s2 answers", async ({ page, site }) => {
      const api = newMockApi({ health: statusNow(), session: people.mia, published: publishedItems() });
      api.createEvent = { eventId: "evt-new", txId: "tx-create-1", status: "pending", homeSite: "s0", url: "http://127.0.0.1:8000/e/evt-new", adminUrl: "http://127.0.0.1:8000/e/evt-new/admin#" + "k".repeat(43), sites: ackedExcept("s2") };
      api.events.set("evt-new", pendingEvent());
      api.transactions.set("tx-create-1", { txId: "tx-create-1", kind: "create_event", status: "pending", reason: null, sites: ackedExcept("s2") });
      await open(page, site, "/", api);
      await expect(page.getByText("Creating as")).toContainText("Mia");
      await expect(page.getByRole("heading", { name: "Harbour run 10k" })).toBeVisible();
      await shoot(page, "home-gallery", device.name);

      await page.getByLabel("Event title").fill("Team offsite in Porto");
      await page.getByRole("button", { name: "Create event" }).click();
      await expect(page).toHaveURL(/\/e\/evt-new\?tx=tx-create-1$/);
      await expect(page.getByText("waiting for 1 of the 4 servers to confirm", { exact: false }).first()).toBeVisible();
      await expect(page.getByText("Being created")).toBeVisible();
      await shoot(page, "event-pending", device.name);

      // s2 comes back: the transaction commits and the page says so without a reload.
      api.transactions.set("tx-create-1", { txId: "tx-create-1", kind: "create_event", status: "committed", reason: null, sites: allAcked() });
      api.events.set("evt-new", { ...pendingEvent(), status: "open", sites: allAcked(), viewer: { ...pendingEvent().viewer, canUpload: true } });
      await expect(page.getByText("the event is safely kept on all 4 servers")).toBeVisible();
      await expect(page.getByText("Collecting photos")).toBeVisible();
    });

    test("a new, empty event updates live when a photo arrives", async ({ page, site }) => {
      const api = newMockApi({ health: statusNow(), session: people.mia });
      api.events.set("evt-empty", emptyEvent());
      await open(page, site, "/e/evt-empty", api);
      await expect(page.getByRole("heading", { level: 1, name: "Lisa's 30th birthday" })).toBeVisible();
      await expect(page.getByText("No photos yet")).toBeVisible();
      await expect(page.getByRole("button", { name: "Choose photos" })).toBeEnabled();
      await expect(page.getByRole("img", { name: /QR code of the share link/ })).toBeVisible();
      await expect(page.getByText("Live", { exact: true })).toBeVisible();
      await shoot(page, "event-empty", device.name);

      const withPhoto = uploadEvent();
      api.events.set("evt-empty", { ...emptyEvent(), montage: withPhoto.montage, photos: withPhoto.photos, contributors: withPhoto.contributors });
      await pushChanged(page, "evt-empty", "photo_committed");
      await expect(page.getByText("3 photos by 3 people")).toBeVisible();
    });

    test("a visitor sees no images until joining and contributing", async ({ page, site }) => {
      const api = newMockApi({ health: statusNow() });
      api.events.set("evt-voting", visitorEvent());
      await open(page, site, "/e/evt-voting", api);
      await expect(page.getByText("Only contributors can see the montage until it's published.")).toBeVisible();
      await expect(page.getByRole("heading", { name: /Join “Climbing weekend/ })).toBeVisible();
      await shoot(page, "event-visitor", device.name);

      await page.getByLabel("Your name").fill("Noor");
      await page.getByRole("button", { name: "Join" }).click();
      await expect(page.locator(".nav-user")).toContainText("Noor");
      await expect(page.getByRole("heading", { name: /Join “/ })).toBeHidden();
    });

    test("an open ballot window: countdown, tally, accept", async ({ page, site }) => {
      const api = newMockApi({ health: statusNow(), session: people.mia });
      api.events.set("evt-voting", votingEvent());
      api.afterBallot = () => api.events.set("evt-voting", votingEvent({ viewerBallot: "accept" }));
      await open(page, site, "/e/evt-voting", api);
      await expect(page.getByText("Ballot open", { exact: true })).toBeVisible();
      await expect(page.locator(".countdown-time")).toHaveText(/^1:[0-2]\d$/);
      await expect(page.getByText("Uploads are paused while the ballot window is open.", { exact: false })).toBeVisible();
      await expect(page.getByText("Waiting for you, Sam and Noor Haddad")).toBeVisible();
      await shoot(page, "event-voting", device.name);

      await page.getByRole("button", { name: "Accept this montage" }).click();
      await expect(page.getByRole("heading", { name: "You accepted this montage" })).toBeVisible();
      await expect(page.getByText("3 of 5")).toBeVisible();
      await shoot(page, "event-voted", device.name);
    });

    test("a refused ballot shows the site's message", async ({ page, site }) => {
      const api = newMockApi({ health: statusNow(), session: people.mia });
      api.events.set("evt-voting", votingEvent());
      api.ballot = { status: 409, body: { error: { code: "superseded", message: "Montage version 7 has been superseded by version 8. Look at the new montage before you decide." } } };
      await open(page, site, "/e/evt-voting", api);
      await page.getByRole("button", { name: "Reject" }).click();
      await expect(page.getByText("The round ends for everyone and uploads reopen.", { exact: false })).toBeVisible();
      await page.getByRole("button", { name: "Yes, reject" }).click();
      await expect(page.locator(".ballot").getByRole("alert")).toContainText("superseded by version 8");
      await shoot(page, "event-ballot-error", device.name);
    });

    test("uploads: progress per file and a clear error per refused file", async ({ page, site }) => {
      const api = newMockApi({ health: statusNow(), session: people.mia });
      api.events.set("evt-upload", uploadEvent());
      const sites = ackedExcept("s2");
      api.transactions.set("tx-sunset", { txId: "tx-sunset", kind: "add_photo", status: "pending", reason: null, sites });
      api.upload = (fileName) => {
        switch (fileName) {
          case "beach.jpg":
            return { status: 201, body: { photoId: "evt-upload-p4", txId: "tx-beach", status: "committed", montageVersion: 4, duplicate: false, sites: allAcked() } };
          case "notes.pdf":
            return { status: 415, body: { error: { code: "unsupported_type", message: "This file is not a JPEG, PNG, WebP or AVIF image; nothing was stored." } } };
          case "broken.png":
            return { status: 422, body: { error: { code: "invalid", message: "This file could not be decoded as an image." } } };
          case "sunset.webp":
            return { status: 202, body: { photoId: "evt-upload-p5", txId: "tx-sunset", status: "pending", montageVersion: null, duplicate: false, sites } };
          default:
            return "hang";
        }
      };
      await open(page, site, "/e/evt-upload", api);
      await expect(page.getByText("1 of 10 added", { exact: false })).toBeVisible();
      await page.getByLabel("Photo files").setInputFiles([
        await photoFile("beach.jpg", 3, 2_400_000),
        { name: "notes.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(80_000, 2) },
        await photoFile("panorama.jpg", 1, 21 * 1024 * 1024),
        { name: "broken.png", mimeType: "image/png", buffer: Buffer.alloc(70, 7) },
        await photoFile("sunset.webp", 0, 1_300_000, "image/webp"),
        await photoFile("group.jpg", 4, 3_600_000),
      ]);
      const list = page.getByRole("list", { name: "Your uploads" });
      await expect(list.getByText("Added to the montage")).toBeVisible();
      await expect(list.getByText("not a JPEG, PNG, WebP or AVIF image")).toBeVisible();
      await expect(list.getByText("the limit is 20 MB")).toBeVisible();
      await expect(list.getByText("could not be decoded")).toBeVisible();
      await expect(list.getByText("Waiting for 1 of the 4 servers to confirm — it will complete by itself.", { exact: false })).toBeVisible();
      await expect(list.getByText(/Checking the photo|Uploading/)).toBeVisible();
      await expect(page.locator(".banner-pending")).toContainText("1 photo received");
      await shoot(page, "event-uploads", device.name);

      // s2 answers: the pending photo commits and its row says so.
      api.transactions.set("tx-sunset", { txId: "tx-sunset", kind: "add_photo", status: "committed", reason: null, sites: allAcked() });
      await expect(list.getByText("Added", { exact: false }).nth(1)).toBeVisible();
      await expect(page.locator(".banner-pending")).toHaveCount(0);
    });

    test("a round that ended says why, and uploads are open again", async ({ page, site }) => {
      const api = newMockApi({ health: statusNow(), session: people.mia });
      api.events.set("evt-aborted", abortedEvent());
      await open(page, site, "/e/evt-aborted", api);
      await expect(page.locator(".banner-warning")).toContainText("The last vote ended without publishing. Sam rejected the montage.");
      // The reason sits under the sentence, as wide as the banner (not squeezed into a column beside it).
      const reason = page.getByRole("list", { name: "Reasons given" }).getByRole("listitem");
      await expect(reason).toHaveText(/Sam\s*“?Too dark”?/);
      const [banner, item] = await Promise.all([page.locator(".abort-notice").boundingBox(), reason.boundingBox()]);
      expect(item && banner && item.width > banner.width * 0.8).toBe(true);
      // Numbered rounds: accepting the same montage again opens round 2 of it.
      await expect(page.getByRole("heading", { name: "Try again: Round 2" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Choose photos" })).toBeEnabled();
      await shoot(page, "event-aborted", device.name);
    });

    test("a published event offers the public page and the download", async ({ page, site }) => {
      const api = newMockApi({ health: statusNow(), session: people.mia });
      api.events.set("evt-published", publishedEvent(people.mia));
      await open(page, site, "/e/evt-published", api);
      await expect(page.getByText("Published", { exact: true }).first()).toBeVisible();
      await expect(page.getByRole("link", { name: "Download full size" })).toHaveAttribute("href", /size=full&download=1/);
      await expect(page.getByText("This montage is published", { exact: false })).toHaveCount(0);
      await shoot(page, "event-published", device.name);
    });

    test("an unknown event says so", async ({ page, site }) => {
      await open(page, site, "/e/evt-nope", newMockApi({ health: statusNow() }));
      await expect(page.getByRole("heading", { name: "We can't find this event on this site" })).toBeVisible();
      await shoot(page, "event-missing", device.name);
    });

    test("the public montage page", async ({ page, site }) => {
      const api = newMockApi({ health: statusNow() });
      api.events.set("evt-published", publishedEvent());
      await open(page, site, "/p/evt-published", api);
      await expect(page.getByRole("heading", { level: 1, name: "Climbing weekend in Fontainebleau" })).toBeVisible();
      await expect(page.getByRole("link", { name: "Download full size" })).toBeVisible();
      await shoot(page, "published", device.name);
    });

    test("the public page of a montage that is not published", async ({ page, site }) => {
      const api = newMockApi({ health: statusNow() });
      api.events.set("evt-voting", visitorEvent());
      await open(page, site, "/p/evt-voting", api);
      await expect(page.getByRole("heading", { name: /has no public montage yet/ })).toBeVisible();
      await shoot(page, "published-not-yet", device.name);
    });

    test("the status page with one peer down", async ({ page, site }) => {
      await open(page, site, "/status", newMockApi({ health: statusNow(), log: statusLog() }));
      await expect(page.getByRole("heading", { level: 1, name: "Site s0" })).toBeVisible();
      await expect(page.locator(".peer-down")).toContainText("Unreachable");
      await expect(page.getByText("2/3")).toBeVisible();
      await expect(page.getByRole("cell", { name: "tx-7f3a9c1e-photo" })).toBeVisible();
      await expect(page.getByText("PREPARE to s2 timed out", { exact: false })).toBeVisible();
      await shoot(page, "status", device.name);
    });

    test("the status page when the site has no log endpoint", async ({ page, site }) => {
      await open(page, site, "/status", newMockApi({ health: statusNow(), log: "missing" }));
      await expect(page.getByText("This site does not publish its log yet.")).toBeVisible();
      await shoot(page, "status-no-log", device.name);
    });
  });
}

test.describe("dark", () => {
  test.use({ colorScheme: "dark", reducedMotion: "reduce", viewport: { width: 1280, height: 800 } });

  test("the event page and the status page follow the system's dark mode", async ({ page, site }) => {
    const api = newMockApi({ health: statusNow(), session: people.mia, log: statusLog() });
    api.events.set("evt-voting", votingEvent());
    await open(page, site, "/e/evt-voting", api);
    await expect(page.locator(".countdown-time")).toBeVisible();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(15, 20, 28)");
    await shoot(page, "event-voting", "dark");
    await page.goto(`${site}/status`);
    await expect(page.locator(".peer-down")).toBeVisible();
    await shoot(page, "status", "dark");
  });
});
