import { expect, test } from "./fixtures";

const SHOTS = "test-results/screenshots";

test("tune a detection threshold for one service: invalid input is refused beside its box, the saved value shows where it comes from", async ({ loggedInPage: page }) => {
  await page.getByRole("navigation").getByRole("link", { name: "Signals" }).click();
  await page.getByRole("link", { name: "thresholds you can tune" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Detection thresholds" })).toBeVisible();

  // The e2e server sets resolveAfterNegativeSeconds through TAILGUARD_DETECTION_THRESHOLDS.
  const row = (key: string) => page.locator(`[data-testid="threshold-row"][data-key="${key}"]`);
  await expect(row("hysteresis.resolveAfterNegativeSeconds").getByTestId("threshold-effective")).toHaveText("30 s");
  await expect(row("hysteresis.resolveAfterNegativeSeconds").getByTestId("threshold-origin")).toHaveText("environment · all services");
  await expect(row("hysteresis.openAfterPositiveSeconds").getByTestId("threshold-origin")).toHaveText("built-in");

  await page.getByLabel("Another service").fill("e2e-thresholds");
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await expect(page).toHaveURL(/service=e2e-thresholds/);
  const form = page.getByRole("form", { name: "Thresholds for e2e-thresholds" });
  const openAfter = row("hysteresis.openAfterPositiveSeconds");

  await openAfter.getByRole("textbox").fill("soon");
  await form.getByRole("button", { name: "Save overrides for e2e-thresholds" }).click();
  await expect(openAfter.getByText("must be a number")).toBeVisible();
  await openAfter.getByRole("textbox").fill("0");
  await form.getByRole("button", { name: "Save overrides for e2e-thresholds" }).click();
  await expect(openAfter.getByText("must be more than 0")).toBeVisible();

  await openAfter.getByRole("textbox").fill("45");
  await expect(openAfter.getByTestId("threshold-effective")).toHaveText("45 s");
  await form.getByRole("button", { name: "Save overrides for e2e-thresholds" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  await page.screenshot({ path: `${SHOTS}/detection-thresholds.png`, fullPage: true });
  // The saved row with the save bar, as an editor sees it.
  await row("hysteresis.resolveAfterNegativeSeconds").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/detection-thresholds-saved.png` });

  await page.reload();
  await expect(openAfter.getByTestId("threshold-effective")).toHaveText("45 s");
  await expect(openAfter.getByTestId("threshold-origin")).toHaveText("console · this service");
  await expect(openAfter.getByRole("textbox")).toHaveValue("45");
  // Other services are untouched.
  await page.getByRole("combobox", { name: "Scope" }).selectOption("");
  await expect(page).toHaveURL(/\/signals\/thresholds$/);
  await expect(openAfter.getByTestId("threshold-effective")).toHaveText("20 s");

  // Clearing the service's overrides brings back the default.
  await page.goto("/signals/thresholds?service=e2e-thresholds");
  await page.getByRole("button", { name: "Clear all overrides for e2e-thresholds" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  await expect(openAfter.getByTestId("threshold-origin")).toHaveText("built-in");
});
