import { expect, logIn, test } from "./fixtures";

// The console watches itself: its Faro SDK reports page views and a JS error to Tailguard's own receiver, and
// they show up as the `console` service, in the built-in console SLOs and on the overview's Console card.
const SHOTS = "test-results/screenshots";

// Counts of page views and errors, and the error-free SLO firing on one errored view of a few, need
// a console nobody else has browsed.
test.use({ ownServer: "faro" });

test("page views and a JavaScript error of the console arrive as its own telemetry", async ({ page, api, tailguard }) => {
  const collected: number[] = [];
  page.on("response", (r) => {
    if (r.url().endsWith("/api/faro/collect")) collected.push(r.status());
  });
  await logIn(page, tailguard.admin);
  const card = page.getByRole("region", { name: "Console" });
  await expect(card.getByTestId("console-slo-row")).toHaveText([/Console LCP p75 < 2\.5 s\s*75 %/, /Console error-free page views ≥ 99 %\s*99 %/]);

  // A full page load of the test page ends the overview's page view (reported as the page is hidden).
  await page.goto("/debug/faro-error");
  await expect(page.getByTestId("thrown-count")).toHaveText("Errors thrown on this page: 1");
  // Leaving by the menu ends the test page's view, with its error.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(card.getByTestId("console-page-views")).toHaveText(/^([2-9]|\d{2,})$/, { timeout: 1000 });
    await expect(card.getByTestId("console-page-views-with-errors")).toHaveText("1 with JavaScript errors", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  // The engine evaluates the built-in SLOs from the rollups: one errored page view of a few blows a 99 % budget.
  const errorFree = card.getByTestId("console-slo-row").filter({ hasText: "error-free" });
  await expect(async () => {
    await page.reload();
    await expect(errorFree.getByText("firing")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  expect(collected.length).toBeGreaterThan(0);
  expect(collected.every((s) => s === 202)).toBe(true);
  await page.screenshot({ path: `${SHOTS}/console-card.png`, fullPage: true });

  // The console is a service like any other (read through the API).
  const services = await (await api.get("/api/v1/services")).json();
  expect(services.services.map((s: { name: string }) => s.name)).toContain("console");

  // The errored page view burned the error-free SLO; its trace holds the error span and the stack.
  await card.getByRole("link", { name: "Console error-free page views ≥ 99 %" }).click();
  const burner = page.getByTestId("burner-row").filter({ hasText: "console · page_view /debug/faro-error" });
  await expect(burner).toContainText("error status");
  await burner.getByRole("link").click();
  const waterfall = page.getByRole("region", { name: "Waterfall" });
  await expect(waterfall.getByText("exception Error")).toBeVisible();
  await waterfall.getByText("exception Error").click();
  await expect(page.getByRole("region", { name: "Span details" })).toContainText("Tailguard test page: an error thrown on purpose (#1)");
  await page.screenshot({ path: `${SHOTS}/console-error-trace.png`, fullPage: true });
});

test("the receiver refuses pages of other origins", async ({ request }) => {
  const r = await request.post("/api/faro/collect", { headers: { origin: "https://evil.example", "content-type": "application/json" }, data: { meta: {} } });
  expect(r.status()).toBe(403);
});
