import { defineConfig } from "@playwright/test";

// The screen tests (and the journey on real sites): `SCREENS_BASE_URL=http://127.0.0.1:8100 npx playwright test -c
// e2e/screens/playwright.screens.config.ts`. Without SCREENS_BASE_URL the spec starts a site.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  outputDir: "../../test-results/screens-artifacts",
  use: { baseURL: process.env.SCREENS_BASE_URL, trace: "retain-on-failure", launchOptions: chromium },
  projects: [{ name: "screens", use: { browserName: "chromium" } }],
});
