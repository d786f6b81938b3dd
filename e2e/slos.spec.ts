import { expect, test } from "@playwright/test";

const SHOTS = "test-results/screenshots";

test.beforeEach(async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("admin@e2e.test");
  await page.getByLabel("Password").fill("e2e-admin-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
});

test("define an SLO in the form, with live validation, and open its page", async ({ page }) => {
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

test("apply OpenSLO YAML after previewing the diff", async ({ page }) => {
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
});
