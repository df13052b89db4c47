// The Playwright fixtures of the crash scenarios: a fresh cluster per test with short protocol
// timeouts, stopped by PID when the test ends (pass or fail, and by the process exit hook if
// the worker dies first), its sites' recent logs attached to a failed test; and helpers that
// look at an event through a real browser page as a given person.
import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { makePhoto } from "../../lib/images/fixtures";
import type { Person } from "./api";
import { Cluster, FAST_TIMEOUTS, type ClusterOptions } from "./cluster";

export const test = base.extend<{ clusterOptions: ClusterOptions; cluster: Cluster }>({
  clusterOptions: [{}, { option: true }],
  cluster: async ({ clusterOptions }, use, testInfo) => {
    // Four site processes on a shared 2-core machine: restarts take seconds.
    testInfo.setTimeout(Math.max(testInfo.timeout, 300_000));
    const cluster = await Cluster.start({ ...clusterOptions, env: { ...FAST_TIMEOUTS, ...clusterOptions.env } });
    try {
      await use(cluster);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach("site logs", { body: cluster.recentLogs(2_000), contentType: "text/plain" });
      }
      await cluster.stop();
    }
  },
});

export { expect };

/** A small JPEG whose bytes differ per seed (so no two photos are duplicates). */
export function photo(seed: number): Promise<Uint8Array> {
  return makePhoto({ seed, widthPx: 64, heightPx: 48 });
}

/** A browser context that carries `person`'s session cookie (valid on every site). */
export async function contextAs(browser: Browser, person: Person): Promise<BrowserContext> {
  const context = await browser.newContext();
  const [name, ...value] = (person.cookie ?? "").split("=");
  if (name && value.length > 0) await context.addCookies([{ name, value: value.join("="), domain: "127.0.0.1", path: "/" }]);
  return context;
}

export type PageExpectation = {
  title: string;
  /** The status badge: "Collecting photos", "Ballot open", "Published", "Being created". */
  status?: string;
  /** The montage's version (the photo-count chip's "update N"; guests see words, not the number). */
  version?: number;
  /** "N photo(s) by …" above the thumbnails. */
  photos?: number;
};

/** Opens the event page on `siteUrl` and checks what a person sees there. */
export async function expectEventPage(page: Page, siteUrl: string, eventId: string, expected: PageExpectation): Promise<void> {
  await page.goto(`${siteUrl}/e/${eventId}`);
  await expect(page.getByRole("heading", { level: 1, name: expected.title })).toBeVisible();
  if (expected.status) await expect(page.locator(".event-head .badge")).toHaveText(expected.status);
  // The photo-count chip names the montage's update (guests no longer see "Version N").
  if (expected.version !== undefined) await expect(page.locator(".montage-meta .chip")).toHaveAttribute("title", new RegExp(`\\(update ${expected.version}\\)`));
  if (expected.photos !== undefined) {
    await expect(page.getByRole("region", { name: "Photos", exact: true })).toContainText(`${expected.photos} ${expected.photos === 1 ? "photo" : "photos"} by`);
  }
}

/** `expectEventPage` on every site of the cluster, in one browser context as `person`. */
export async function expectEventPageEverywhere(browser: Browser, cluster: Cluster, person: Person, eventId: string, expected: PageExpectation): Promise<void> {
  const context = await contextAs(browser, person);
  try {
    const page = await context.newPage();
    for (const site of cluster.sites) await expectEventPage(page, site.url, eventId, expected);
  } finally {
    await context.close();
  }
}
