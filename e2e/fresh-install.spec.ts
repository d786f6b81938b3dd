// A fresh install, on a server of its own so that nothing another spec wrote shows: the overview,
// the built-in console SLOs, and every section's empty state with the OTLP endpoint to send to.
import { expect, test } from "./fixtures";

const SHOTS = "test-results/screenshots";

test.use({ ownServer: "fresh-install" });

test("log in, see the overview, visit every section", async ({ loggedInPage: page, tailguard }) => {
  await expect(page.getByText("Embedded (PGlite)")).toBeVisible();
  await expect(page.getByRole("cell", { name: "leader" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });
  // A fresh install watches its own console: the built-in console SLOs exist, and the console
  // appears as a service once the browser has reported a page view (Faro).
  const nav = page.getByRole("navigation");
  await nav.getByRole("link", { name: "SLOs", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "SLOs" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Console error-free page views/ })).toBeVisible();
  await nav.getByRole("link", { name: "Services", exact: true }).click();
  // Wait for the soft navigation to land: a reload while it is in flight would reload the SLOs page instead.
  await expect(page.getByRole("heading", { level: 1, name: "Services" })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: "console", exact: true })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
  for (const [link, heading, empty] of [
    ["Jobs", "Jobs", "No jobs seen yet"],
    ["Signals", "Signals", "No signals"],
    ["Alerts & Webhooks", "Alerts & Webhooks", "No alerts and no webhook endpoints"],
    ["Release gates", "Release gates", "No gate evaluations yet"],
  ] as const) {
    await page.getByRole("navigation").getByRole("link", { name: link, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page.getByRole("heading", { name: empty })).toBeVisible();
    await expect(page.getByText(`OTEL_EXPORTER_OTLP_ENDPOINT=${tailguard.otlpHttpURL}`)).toBeVisible();
  }
  await page.screenshot({ path: `${SHOTS}/empty-state.png`, fullPage: true });
});
