import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// Browser tests drive the production build in Debian's Chromium against a fresh embedded database.
const PORT = Number(process.env.E2E_PORT ?? 3210);
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
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: `rm -rf ${dataDir} && node --import tsx server.ts`,
    url: `http://127.0.0.1:${PORT}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(PORT),
      OTLP_HTTP_PORT: String(PORT + 1),
      OTLP_GRPC_PORT: String(PORT + 2),
      TAILGUARD_DATA_DIR: dataDir,
      TAILGUARD_ADMIN_EMAIL: "admin@e2e.test",
      TAILGUARD_ADMIN_PASSWORD: "e2e-admin-password",
      TAILGUARD_ENGINE_INTERVAL_MS: "1000",
      TAILGUARD_BOOTSTRAP_TOKEN: "e2e_bootstrap_token_0123456789abcdef",
      // The webhook browser test runs its receiver on 127.0.0.1.
      TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
      TAILGUARD_TEST_PAGES: "true",
      // The gate-recovery test waits for a signal to resolve: 30 s of healthy evaluations instead of 5 min.
      TAILGUARD_DETECTION_THRESHOLDS: JSON.stringify({ defaults: { hysteresis: { resolveAfterNegativeSeconds: 30 } } }),
    },
  },
});
