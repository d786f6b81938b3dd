import { expect, test } from "@playwright/test";
import { verifyWebhook } from "../lib/webhooks/signing";
import { InMemoryWebhookReceiver } from "../lib/webhooks/test-receiver";

const SHOTS = "test-results/screenshots";

test("add a webhook endpoint, see its secret once, send a test event and see it delivered", async ({ page }) => {
  const receiver = await new InMemoryWebhookReceiver().start();
  try {
    await page.goto("/login");
    await page.getByLabel("Email").fill("admin@e2e.test");
    await page.getByLabel("Password").fill("e2e-admin-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await page.getByRole("navigation").getByRole("link", { name: "Alerts & Webhooks" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Alerts & Webhooks" })).toBeVisible();

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

    expect(receiver.requests).toHaveLength(1);
    const received = receiver.requests[0]!;
    expect(verifyWebhook({ headers: received.headers as Record<string, string>, body: received.body, secret })).toEqual({ ok: true });
    expect(JSON.parse(received.body)).toMatchObject({ version: "4", receiver: "e2e-receiver", alerts: [{ labels: { alertname: "TailguardWebhookTest" } }] });

    // Nothing is dead-lettered; a redelivery reuses the webhook-id.
    await page.getByRole("tab", { name: "Dead letter" }).click();
    await expect(page.getByText("No deliveries with status dead letter.")).toBeVisible();
    await page.getByRole("tab", { name: "All" }).click();
    await delivery.getByRole("button", { name: "Redeliver" }).click();
    await expect.poll(() => receiver.requests.length).toBe(2);
    expect(receiver.requests[1]!.id).toBe(received.id);
    await expect(delivery.getByText("delivered", { exact: true })).toBeVisible();
  } finally {
    await receiver.stop();
  }
});
