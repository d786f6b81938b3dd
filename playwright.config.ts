import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { SHARED_PORTS, serverEnv, tailguardAt } from "./e2e/environment";

// Browser tests drive the production build in Debian's Chromium against a fresh embedded database.
// The shared server listens on E2E_PORT (default 3210); specs reach it through e2e/fixtures.ts, and
// a spec that needs an empty install starts its own with `test.use({ ownServer: "<name>" })`.
// One worker: the specs share that server's CPU, and the gate-recovery spec's timings need it alone.
const shared = tailguardAt(SHARED_PORTS);
const dataDir = path.join(os.tmpdir(), `tailguard-e2e-${process.pid}`);

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: {
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: `rm -rf ${dataDir} && node --import tsx server.ts`,
    url: `${shared.baseURL}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: serverEnv(SHARED_PORTS, dataDir),
  },
});
