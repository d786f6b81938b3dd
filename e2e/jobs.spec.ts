import { expect, test } from "./fixtures";

const SHOTS = "test-results/screenshots";
const JOB = "job-e2e-render-7f3c9a12";
const API_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const RETRY_TRACE = "00f067aa0ba902b7e3a1c2d4f5061728";
const T0 = BigInt(Date.now() - 120_000) * 1_000_000n;

type Attr = string | number;
function span(traceId: string, spanId: string, parentSpanId: string, name: string, kind: number, startMs: number, durMs: number, attrs: Record<string, Attr>,
  extra: { error?: string; links?: Array<{ traceId: string; spanId: string }>; events?: Array<{ atMs: number; name: string; attrs: Record<string, Attr> }> } = {}) {
  const kv = (a: Record<string, Attr>) => Object.entries(a).map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: String(v) } : { stringValue: v } }));
  const start = T0 + BigInt(startMs) * 1_000_000n;
  return {
    traceId, spanId, parentSpanId, name, kind, startTimeUnixNano: String(start), endTimeUnixNano: String(start + BigInt(durMs) * 1_000_000n), attributes: kv(attrs),
    links: extra.links ?? [], events: (extra.events ?? []).map((e) => ({ timeUnixNano: String(T0 + BigInt(e.atMs) * 1_000_000n), name: e.name, attributes: kv(e.attrs) })),
    status: { code: extra.error ? 2 : 0, message: extra.error ?? "" },
  };
}

const job = { "job.id": JOB };
const queue = { "messaging.system": "rabbitmq", "messaging.destination.name": "inference" };
const resource = (service: string, spans: unknown[]) => ({ resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] }, scopeSpans: [{ spans }] });

// API accept → enqueue; attempt 1 waits 1.2 s in the queue and fails in inference; the retry waits 2 s and succeeds in another trace.
const BODY = {
  resourceSpans: [
    resource("jobs-api", [
      span(API_TRACE, "a000000000000001", "", "POST /v1/jobs", 2, 0, 60, { ...job, "http.route": "/v1/jobs", "http.response.status_code": 202 }),
      span(API_TRACE, "a000000000000002", "a000000000000001", "INSERT jobs", 3, 8, 12, { "db.system": "postgresql" }),
      span(API_TRACE, "a000000000000003", "a000000000000001", "publish inference", 4, 30, 6, { ...job, ...queue, "messaging.operation.type": "publish" }),
    ]),
    resource("gpu-worker", [
      span(API_TRACE, "b000000000000001", "a000000000000003", "process inference", 5, 1236, 1400, { ...job, ...queue, "job.attempt": 1, "messaging.operation.type": "process" },
        { error: "CUDA out of memory", events: [{ atMs: 2600, name: "exception", attrs: { "exception.type": "OutOfMemoryError", "exception.message": "CUDA out of memory" } }] }),
      span(API_TRACE, "b000000000000002", "b000000000000001", "gpu inference", 1, 1250, 1350, { ...job, "gpu.id": "gpu-3" }, { error: "CUDA out of memory" }),
      span(API_TRACE, "b000000000000003", "b000000000000001", "publish inference.retry", 4, 2630, 4, { ...job, ...queue, "job.attempt": 2, "messaging.operation.type": "send" }),
      span(RETRY_TRACE, "c000000000000001", "", "process inference", 5, 4640, 1900, { ...job, ...queue, "job.attempt": 2, "messaging.operation.type": "process" }, { links: [{ traceId: API_TRACE, spanId: "b000000000000003" }] }),
      span(RETRY_TRACE, "c000000000000002", "c000000000000001", "gpu inference", 1, 4660, 1500, { ...job, "gpu.id": "gpu-1" }),
      span(RETRY_TRACE, "c000000000000003", "c000000000000001", "UPDATE jobs", 3, 6170, 40, { "db.system": "postgresql" }),
      span(RETRY_TRACE, "c000000000000004", "c000000000000001", "PUT artifacts", 3, 6220, 300, { "server.address": "artifacts.internal" }),
    ]),
  ],
};

test("a job with two attempts: find it by ID, see both attempts, the queue waits and the failure", async ({ loggedInPage: page, api, tailguard }) => {
  const sent = await api.post(`${tailguard.otlpHttpURL}/v1/traces`, { data: BODY });
  expect(sent.status()).toBe(200);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();

  const list = page.getByRole("table", { name: "Jobs" });
  const row = list.getByRole("row").filter({ hasText: JOB });
  await expect(row).toContainText("succeeded");
  await expect(row).toContainText("6.54 s");
  await page.screenshot({ path: `${SHOTS}/jobs-list.png`, fullPage: true });

  // Filters live in the URL: failed jobs only leaves this one out, succeeded brings it back.
  const filters = page.getByRole("form", { name: "Filter jobs" });
  await filters.getByLabel("Status").selectOption("failed");
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByText("No jobs match these filters.")).toBeVisible();
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(list.getByRole("row").filter({ hasText: JOB })).toBeVisible();

  const search = page.getByRole("search", { name: "Open a job by ID" });
  await search.getByLabel("Job ID").fill(JOB);
  await search.getByRole("button", { name: "Open job" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(JOB);

  const status = page.getByRole("region", { name: "Job status" });
  await expect(status).toContainText("succeeded");
  await expect(status).toContainText("CUDA out of memory");
  await expect(status.getByRole("link", { name: RETRY_TRACE })).toBeVisible();
  const attempts = page.getByRole("region", { name: "Attempts" });
  await expect(attempts.getByRole("row")).toHaveCount(3);
  await expect(attempts.getByRole("row").filter({ hasText: "attempt 1" })).toContainText("1.20 s");
  await expect(attempts.getByRole("row").filter({ hasText: "attempt 2" })).toContainText("2.01 s");

  const timeline = page.getByRole("region", { name: "Job timeline" });
  await expect(timeline.locator("tr[data-kind=span]")).toHaveCount(10);
  const waits = timeline.locator("tr[data-kind=queue]");
  await expect(waits).toHaveCount(2);
  await expect(waits.first()).toContainText("waiting in queue · inference");
  await expect(waits.first()).toContainText("1.20 s in queue");
  await expect(timeline.getByText("attempt 2").first()).toBeVisible();

  // Attempt 1's consumer: its exception event and attributes on click; attempt 2's link back to the retry publish.
  await timeline.locator("tr[data-kind=span]").filter({ hasText: "process inference" }).filter({ hasText: "attempt 1" }).click();
  const details = page.getByRole("region", { name: "Span details" });
  await expect(details).toContainText("OutOfMemoryError");
  await expect(details).toContainText("job.attempt");
  await timeline.getByRole("button", { name: "↪ linked to publish inference.retry" }).click();
  await expect(details.getByRole("heading", { name: "publish inference.retry" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/job-timeline.png`, fullPage: true });

  // The navigation's job box opens any job ID, and says so when none was seen.
  const nav = page.getByRole("search", { name: "Find a job" });
  await nav.getByLabel("Go to job ID").fill("job-never-sent");
  await nav.getByLabel("Go to job ID").press("Enter");
  await expect(page.getByRole("heading", { name: "No job with this ID has been seen" })).toBeVisible();
});
