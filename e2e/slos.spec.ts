import { expect, test } from "./fixtures";

const SHOTS = "test-results/screenshots";

test("define an SLO in the form, with live validation, and open its page", async ({ loggedInPage: page }) => {
  await page.getByRole("navigation").getByRole("link", { name: "SLOs" }).click();
  await page.getByRole("link", { name: "New SLO" }).click();
  const form = page.getByRole("form", { name: "New SLO" });
  await form.getByLabel("Name").fill("Bad Name");
  await expect(form.getByText("name must be a lowercase slug")).toBeVisible();
  await form.getByLabel("Name").fill("api-latency");
  await form.getByLabel("Service").fill("sample-api");
  await form.getByLabel("SLI").selectOption("latency");
  await form.getByLabel("Threshold (ms)").fill("300");
  await form.getByLabel("Objective (%)").fill("100");
  await expect(form.getByText(/objectivePercent/)).toBeVisible();
  await form.getByLabel("Objective (%)").fill("99.9");
  await page.screenshot({ path: `${SHOTS}/slo-form.png`, fullPage: true });
  await form.getByRole("button", { name: "Create SLO" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "api-latency" })).toBeVisible();
  await expect(page.getByText("objective 99.9 %")).toBeVisible();
  await expect(page.getByRole("region", { name: "SLI per hour" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/slo-page.png`, fullPage: true });

  await page.getByRole("navigation").getByRole("link", { name: "SLOs" }).click();
  await expect(page.getByTestId("slo-row").filter({ hasText: "api-latency" })).toContainText("latency ≤ 300 ms");
});

test("apply OpenSLO YAML after previewing the diff", async ({ loggedInPage: page }) => {
  await page.goto("/slos/new");
  await page.getByRole("tab", { name: "OpenSLO YAML" }).click();
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("apply-diff")).toContainText("+ create checkout-availability");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toHaveText("applied");
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("apply-diff")).toContainText("no changes");
  await page.screenshot({ path: `${SHOTS}/slo-yaml.png`, fullPage: true });
  await page.goto("/slos");
  await expect(page.getByTestId("slo-row").filter({ hasText: "checkout-availability" })).toContainText("99.9 %");
  await page.screenshot({ path: `${SHOTS}/slo-list.png`, fullPage: true });
  await page.getByRole("navigation").getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("overview-slo-row").filter({ hasText: "checkout-availability" })).toBeVisible();
  await page.getByLabel("Service").selectOption("checkout");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/service=checkout/);
  await expect(page.getByTestId("overview-slo-row")).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/overview-slos.png`, fullPage: true });
});

test("a gate evaluation asked by API is listed with its reasons", async ({ loggedInPage: page, request }) => {
  await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
  const form = page.getByRole("form", { name: "Create API token" });
  await form.getByLabel("Name").fill("e2e-gate");
  await form.getByLabel("read").uncheck();
  await form.getByLabel("gate").check();
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token-secret").textContent()) ?? "";
  const r = await request.post("/api/v1/gates/evaluate", { headers: { authorization: `Bearer ${secret}` }, data: { service: "payments", version: "9.9.9" } });
  expect(r.status()).toBe(200);
  expect((await r.json()).decision).toBe("inconclusive");
  await page.getByRole("navigation").getByRole("link", { name: "Release gates" }).click();
  const row = page.getByTestId("gate-row").filter({ hasText: "9.9.9" });
  await expect(row).toContainText("inconclusive");
  await expect(row).toContainText("No SLO matches this gate's scope");
  await page.screenshot({ path: `${SHOTS}/gates.png`, fullPage: true });
});
