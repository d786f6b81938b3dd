import { expect, test } from "./fixtures";

const SHOTS = "test-results/screenshots";
const TRACE = "5b8efff798038103d269b633813fc60c";

function span(spanId: string, parent: string, name: string, kind: number, startMs: number, durMs: number, attrs: Record<string, string | number>, error = false) {
  const now = BigInt(Date.now()) * 1_000_000n;
  const start = now - 60_000_000_000n + BigInt(startMs) * 1_000_000n;
  return {
    traceId: TRACE, spanId, parentSpanId: parent, name, kind,
    startTimeUnixNano: String(start), endTimeUnixNano: String(start + BigInt(durMs) * 1_000_000n),
    attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } })),
    status: { code: error ? 2 : 0, message: error ? "GPU out of memory" : "" },
  };
}

test("telemetry sent over OTLP shows on the services page, a service page and the trace waterfall", async ({ loggedInPage: page, request, api, tailguard }) => {
  const OTLP = tailguard.otlpHttpURL;
  const body = {
    resourceSpans: [
      { resource: { attributes: [{ key: "service.name", value: { stringValue: "e2e-api" } }] }, scopeSpans: [{ spans: [
        span("1111111111111111", "", "POST /v1/jobs", 2, 0, 40, { "http.route": "/v1/jobs", "http.response.status_code": 202, "job.id": "job-e2e-1" }),
        span("2222222222222222", "1111111111111111", "publish jobs", 4, 10, 5, { "messaging.system": "rabbitmq", "messaging.destination.name": "jobs", "messaging.operation.type": "publish", "job.id": "job-e2e-1" }),
      ] }] },
      { resource: { attributes: [{ key: "service.name", value: { stringValue: "e2e-worker" } }] }, scopeSpans: [{ spans: [
        span("3333333333333333", "2222222222222222", "process jobs", 5, 60, 900, { "messaging.system": "rabbitmq", "messaging.destination.name": "jobs", "job.id": "job-e2e-1", "job.attempt": 1, "gpu.dump": "f".repeat(20_000) }, true),
      ] }] },
    ],
  };
  const refused = await request.post(`${OTLP}/v1/traces`, { data: body });
  expect(refused.status()).toBe(401);
  const r = await api.post(`${OTLP}/v1/traces`, { data: body });
  expect(r.status()).toBe(200);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Services" }).click();
  const table = page.getByRole("table", { name: "Services" });
  await expect(table.getByRole("link", { name: "e2e-api" })).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: "e2e-worker" })).toContainText("100");
  await page.screenshot({ path: `${SHOTS}/services.png`, fullPage: true });

  await table.getByRole("link", { name: "e2e-api" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "e2e-api" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/service-page.png`, fullPage: true });

  await page.goto(`/traces/${TRACE}`);
  const waterfall = page.getByRole("region", { name: "Waterfall" });
  await expect(waterfall.getByText("process jobs")).toBeVisible();
  await waterfall.getByText("process jobs").click();
  const details = page.getByRole("region", { name: "Span details" });
  await expect(details).toContainText("GPU out of memory");
  await expect(details).toContainText("job-e2e-1");
  // 20,000 characters are over the default OTLP_ATTRIBUTE_VALUE_LENGTH_LIMIT (16,384): cut, and said so.
  await expect(details.getByRole("note", { name: "Span limits" })).toContainText("1 attribute value truncated");
  await details.screenshot({ path: `${SHOTS}/span-limits.png` });
  await page.screenshot({ path: `${SHOTS}/trace-waterfall.png`, fullPage: true });

  const created = await api.post("/api/v1/slos", {
    data: { name: "e2e-worker-availability", service: "e2e-worker", sli: { kind: "availability", selector: { service: "e2e-worker", spanKind: "consumer" } }, objectivePercent: "99.9", window: { type: "rolling", durationDays: 7 } },
  });
  expect(created.status()).toBe(201);
  await page.goto("/slos/e2e-worker-availability");
  // A new SLO is backfilled from the spans already stored; the page follows the rebuild's progress.
  await expect(page.getByRole("region", { name: "Rebuild from raw data" })).toContainText("Rebuilt", { timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/slo-rebuilt.png`, fullPage: true });
  const burners = page.getByRole("region", { name: "What burned the budget" });
  await expect(burners.getByTestId("burner-row")).toContainText("error status");
  await burners.getByRole("link", { name: "e2e-worker · process jobs" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(TRACE);
});

