// Runs the real sample system for minutes against a server of its own: its jobs, signals and gate
// evaluations reach no other spec, and no other spec's gate evaluations reach its gate list.
import { startSampleSystem, type SampleSystemHandle } from "../sample-system/index";
import { expect, logIn, test } from "./fixtures";

const SHOTS = "test-results/screenshots";

const SLO = {
  name: "e2e-job-completion", service: "sample-worker", objectivePercent: "99", window: { type: "rolling", durationDays: 28 },
  sli: { kind: "jobCompletion", queue: "jobs", thresholdMs: 120_000 },
};

test.describe.configure({ timeout: 420_000 });
test.use({ ownServer: "gate-recovery" });

let sample: SampleSystemHandle | null = null;
test.afterAll(async () => {
  await sample?.stop();
});

test("the gate fails while the sample system is saturated and passes again after it recovers; the signal shows its evidence", async ({ page, api, tailguard }) => {
  const gate = async () => {
    const r = await api.post("/api/v1/gates/evaluate", { data: { service: "sample-worker", version: "e2e-1" } });
    expect(r.status()).toBe(200);
    return (await r.json()) as { decision: string; reasons: { code: string; message: string }[] };
  };
  const applied = await api.post("/api/v1/slos/apply", { data: { definitions: [SLO], dryRun: false } });
  expect(applied.status(), await applied.text()).toBe(200);

  process.env.OTEL_EXPORTER_OTLP_HEADERS = `Authorization=Bearer ${tailguard.token}`;
  sample = await startSampleSystem({ apiPort: 0, metricsPort: null, otlpEndpoint: tailguard.otlpHttpURL, load: { scenario: "steady", ratePerS: 8, durationMs: 30 * 60_000 } });

  // Healthy: once the SLO has figures, the gate passes.
  await expect.poll(async () => (await gate()).decision, { timeout: 120_000, intervals: [5_000] }).toBe("pass");

  // GPUs 20 times slower (at 8 jobs/s the workers run at about 15 % of capacity): arrivals outrun
  // completions, the queue saturates, and the gate fails on the critical signal.
  sample.setKnobs({ serviceTimeFactor: 20 });
  await expect.poll(async () => (await gate()).decision, { timeout: 150_000, intervals: [5_000] }).toBe("fail");
  const failed = await gate();
  expect(failed.reasons.map((r) => r.code)).toContain("critical_signal_open");

  // The console shows the open signal and its evidence charts.
  await logIn(page, tailguard.admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Signals" }).click();
  await page.getByRole("link", { name: "queue jobs" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Saturation: queue jobs");
  await expect(page.getByRole("region", { name: "jobs arrivals/min" })).toBeVisible();
  await expect(page.locator(".recharts-line-curve").first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/signal-detail.png`, fullPage: true });

  // Healthy again: the backlog drains, the signal resolves, the gate passes.
  sample.setKnobs({ serviceTimeFactor: 1 });
  await expect.poll(async () => (await gate()).decision, { timeout: 240_000, intervals: [5_000] }).toBe("pass");

  await page.goto("/gates");
  const rows = page.getByTestId("gate-row");
  await expect(rows.filter({ hasText: "fail" }).first()).toBeVisible();
  await expect(rows.first()).toContainText("pass");
  await page.goto("/signals");
  await expect(page.getByRole("row", { name: /resolved.*queue jobs/ }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/signals.png`, fullPage: true });
});
