import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { verifyWebhook } from "../lib/webhooks/core/signing";
import { InMemoryWebhookReceiver } from "../tests/helpers/in-memory-webhook-receiver";

const SHOTS = "test-results/screenshots";

async function openAlertsPage(page: Page): Promise<void> {
  await page.getByRole("navigation").getByRole("link", { name: "Alerts & Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Alerts & Webhooks" })).toBeVisible();
}

test("add a webhook endpoint, see its secret once, send a test event and see it delivered", async ({ loggedInPage: page }) => {
  const receiver = await new InMemoryWebhookReceiver().start();
  try {
    await openAlertsPage(page);

    const form = page.getByRole("form", { name: "Add webhook endpoint" });
    await form.getByLabel("Name").fill("e2e-receiver");
    await form.getByLabel("URL").fill(receiver.url);
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("new-webhook-secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.screenshot({ path: `${SHOTS}/webhook-secret.png`, fullPage: true });
    await page.getByRole("button", { name: "Done" }).click();

    // Shown once: after a reload the endpoint is listed, its secret is not.
    await page.reload();
    const row = page.getByTestId("webhook-row").filter({ hasText: "e2e-receiver" });
    await expect(row).toContainText(receiver.url);
    await expect(page.getByTestId("new-webhook-secret")).toHaveCount(0);
    await expect(page.getByText(secret)).toHaveCount(0);

    await row.getByRole("button", { name: "Send test" }).click();
    const delivery = page.getByTestId("delivery-row").filter({ hasText: "Test event from Tailguard" });
    await expect(delivery).toBeVisible();
    await expect(delivery.getByText("delivered", { exact: true })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/webhook-delivered.png`, fullPage: true });

    // Other events the endpoint subscribes to (e.g. the console's own SLO alerts) may arrive too: pick the test event.
    const testRequests = () => receiver.requests.filter((r) => String(r.body).includes("TailguardWebhookTest"));
    expect(testRequests()).toHaveLength(1);
    const received = testRequests()[0]!;
    expect(verifyWebhook({ headers: received.headers as Record<string, string>, body: received.body, secret })).toEqual({ ok: true });
    expect(JSON.parse(received.body)).toMatchObject({ version: "4", receiver: "e2e-receiver", alerts: [{ labels: { alertname: "TailguardWebhookTest" } }] });

    // Nothing is dead-lettered; a redelivery reuses the webhook-id.
    await page.getByRole("tab", { name: "Dead letter" }).click();
    await expect(page.getByText("No deliveries with status dead letter.")).toBeVisible();
    await page.getByRole("tab", { name: "All" }).click();
    await delivery.getByRole("button", { name: "Redeliver" }).click();
    await expect.poll(() => testRequests().length).toBe(2);
    expect(testRequests()[1]!.id).toBe(received.id);
    await expect(delivery.getByText("delivered", { exact: true })).toBeVisible();
  } finally {
    await receiver.stop();
  }
});

test("edit an endpoint's settings, see API validation errors, and rotate its secret", async ({ loggedInPage: page }) => {
  const receiver = await new InMemoryWebhookReceiver().start();
  try {
    await openAlertsPage(page);
    const add = page.getByRole("form", { name: "Add webhook endpoint" });
    await add.getByLabel("Name").fill("e2e-editable");
    await add.getByLabel("URL").fill(receiver.url);
    await add.getByRole("button", { name: "Add endpoint" }).click();
    const firstSecret = (await page.getByTestId("new-webhook-secret").textContent()) ?? "";
    expect(firstSecret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "Done" }).click();

    const row = page.getByTestId("webhook-row").filter({ hasText: "e2e-editable" });
    await row.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("form", { name: "Edit webhook endpoint e2e-editable" });
    await expect(edit.getByLabel("Name")).toHaveValue("e2e-editable");
    await expect(edit.getByLabel("URL")).toHaveValue(receiver.url);
    await expect(edit.getByLabel("Format")).toHaveValue("alertmanager");
    await expect(edit.getByLabel("Max attempts")).toHaveValue("8");
    await expect(edit.getByLabel("Enabled")).toBeChecked();
    await expect(edit.getByLabel("SLO alert firing")).toBeChecked();
    await expect(edit.getByLabel("SLO alert resolved")).toBeChecked();
    await expect(edit.getByLabel("gate failed")).not.toBeChecked();

    // The same schema as the API refuses an endpoint with no events before anything is sent.
    await edit.getByLabel("SLO alert firing").uncheck();
    await edit.getByLabel("SLO alert resolved").uncheck();
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit.getByText("subscribe to at least one event type")).toBeVisible();

    // The API's URL check answers 400; its message appears at the URL field.
    await edit.getByLabel("gate failed").check();
    await edit.getByLabel("SLO alert firing").check();
    await edit.getByLabel("URL").fill("ftp://hooks.example.com/tailguard");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit.getByRole("alert")).toContainText("Not saved: url: only http and https URLs are allowed");
    await expect(edit.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
    await page.screenshot({ path: `${SHOTS}/webhook-edit.png`, fullPage: true });

    await edit.getByLabel("URL").fill(receiver.url);
    await edit.getByLabel("Format").selectOption("tailguard");
    await edit.getByLabel("Services").fill("checkout, api");
    await edit.getByLabel("Max attempts").fill("3");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit).toHaveCount(0);
    await expect(page.getByText("Saved changes to e2e-editable.")).toBeVisible();
    await expect(row).toContainText("gate failed");
    await expect(row).not.toContainText("SLO alert resolved");

    // Saved, not just shown: after a reload the row and the form read the stored settings.
    await page.reload();
    await expect(row).toContainText("SLO alert firing");
    await expect(row).toContainText("gate failed");
    await expect(row).not.toContainText("SLO alert resolved");
    await expect(row).toContainText("tailguard");
    await expect(row).toContainText("checkout, api");
    await row.getByRole("button", { name: "Edit" }).click();
    await expect(edit.getByLabel("Max attempts")).toHaveValue("3");
    await edit.getByRole("button", { name: "Cancel" }).click();

    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Rotate secret" }).click();
    await expect(page.getByText("Secret of “e2e-editable” rotated.")).toBeVisible();
    const newSecret = (await page.getByTestId("new-webhook-secret").textContent()) ?? "";
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(firstSecret);
    await page.screenshot({ path: `${SHOTS}/webhook-rotated.png`, fullPage: true });
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("new-webhook-secret")).toHaveCount(0);
    await page.reload();
    await expect(page.getByText(newSecret)).toHaveCount(0);

    // The receiver now verifies with the new secret; the old one no longer matches.
    await row.getByRole("button", { name: "Send test" }).click();
    // Other events the endpoint subscribes to (e.g. the console's own SLO alerts) may arrive too: pick the test event.
    const testRequests = () => receiver.requests.filter((r) => String(r.body).includes("TailguardWebhookTest"));
    await expect.poll(() => testRequests().length).toBe(1);
    const received = testRequests()[0]!;
    const headers = received.headers as Record<string, string>;
    expect(verifyWebhook({ headers, body: received.body, secret: newSecret })).toEqual({ ok: true });
    expect(verifyWebhook({ headers, body: received.body, secret: firstSecret })).toEqual({ ok: false, reason: "no matching signature" });
  } finally {
    await receiver.stop();
  }
});
