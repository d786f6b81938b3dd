// The canary scenario in process, briefly: both worker releases process jobs, each span carries its
// release's service.version, only the canary shows the fault, and the ground truth says so.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSampleSystem, type SampleSystemHandle } from "../index";
import type { GroundTruth } from "../load/ground-truth";
import { runScenario } from "../load/scenario-run";
import { planScenario } from "../load/scenarios";
import type { CanaryFault } from "./release";

const BASELINE = "1.0.0";
const CANARY = "1.0.0-canary";
// Long enough that timer lag on a busy machine cannot hide 2.5× of it.
const SERVICE_MS = 100;
const versionOf = (s: ReadableSpan) => s.resource.attributes["service.version"];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const durationMs = (s: ReadableSpan) => s.duration[0] * 1000 + s.duration[1] / 1e6;

/** Waits until the queues are empty and no new CONSUMER span ended for half a second. */
async function settled(system: SampleSystemHandle, exporter: InMemorySpanExporter): Promise<void> {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const count = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CONSUMER).length;
    const d = system.depth();
    if (count === last && d.ready === 0 && d.retrying === 0) return;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.each<[CanaryFault]>([["slow"], ["errors"], ["none"]])("a %s canary beside the baseline", (fault) => {
  const exporter = new InMemorySpanExporter();
  let system: SampleSystemHandle;
  let dir: string;
  let truth: GroundTruth;
  let consumers: ReadableSpan[];
  const byVersion = (v: string) => consumers.filter((s) => versionOf(s) === v);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tailguard-canary-"));
    system = await startSampleSystem({
      env: {},
      mode: "async",
      apiPort: 0,
      metricsPort: 0,
      otlpEndpoint: null,
      spanExporter: exporter,
      artifactsDir: join(dir, "artifacts"),
      workers: 2,
      gpuSlotsPerWorker: 8,
      serviceTime: { distribution: "fixed", ms: SERVICE_MS },
      depthPollMs: 100,
      canary: { share: 0.5, fault },
    });
    // A half share gives the canary ~45 jobs. Its failure draws are seeded (the default seed): 3 of
    // the first 25 fail, so the errors canary shows failures whatever the timing.
    const plan = planScenario({ scenario: "canary", durationMs: 4_000, ratePerS: 30, canary: { share: 0.5, fault, startOffsetMs: 1_000 } });
    const groundTruthPath = join(dir, "truth.json");
    await runScenario({ system, plan, groundTruthPath, maxInFlight: 500, maxRequests: 10_000 });
    await settled(system, exporter);
    truth = JSON.parse(await readFile(groundTruthPath, "utf8")) as GroundTruth;
    consumers = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CONSUMER);
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("records the canary's version, fault, share, queue and start in the ground truth", () => {
    expect(truth.scenario).toBe("canary");
    expect(truth.canary).toMatchObject({ service: "sample-worker", baseline_version: BASELINE, version: CANARY, fault, share: 0.5, queue: "jobs.canary" });
    expect(Date.parse(truth.canary?.start ?? "") - Date.parse(truth.run.start)).toBe(1_000);
    expect(truth.fault?.kind ?? null).toBe({ slow: "canary-latency", errors: "canary-errors", none: null }[fault]);
    expect(system.canary).toMatchObject({ version: CANARY, queue: "jobs.canary", workers: 1 });
    expect(system.canary?.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  });

  it("runs two worker releases, each span carrying its own service.version, and routes the share to the canary once it starts", () => {
    const baseline = byVersion(BASELINE);
    const canary = byVersion(CANARY);
    expect(baseline.length + canary.length).toBe(consumers.length);
    expect(baseline.every((s) => s.attributes["messaging.destination.name"] === "jobs")).toBe(true);
    expect(canary.every((s) => s.attributes["messaging.destination.name"] === "jobs.canary")).toBe(true);
    expect(new Set(canary.map((s) => s.resource.attributes["service.instance.id"]))).toEqual(new Set(["sample-worker-" + system.config.instanceId + "-canary"]));
    // The API is not canaried: its spans carry the baseline version.
    const api = exporter.getFinishedSpans().filter((s) => s.resource.attributes["service.name"] === "sample-api");
    expect(api.length).toBeGreaterThan(0);
    expect(new Set(api.map(versionOf))).toEqual(new Set([BASELINE]));

    const canaryStartMs = Date.parse(truth.canary?.start ?? "");
    expect(Math.min(...canary.map((s) => s.startTime[0] * 1000 + s.startTime[1] / 1e6))).toBeGreaterThanOrEqual(canaryStartMs);
    const jobsAfterStart = (spans: ReadableSpan[]) => new Set(spans.filter((s) => s.attributes["job.attempt"] === 1 && s.startTime[0] * 1000 + s.startTime[1] / 1e6 >= canaryStartMs + 100).map((s) => s.attributes["job.id"])).size;
    const canaryShare = jobsAfterStart(canary) / (jobsAfterStart(canary) + jobsAfterStart(baseline));
    expect(jobsAfterStart(canary)).toBeGreaterThanOrEqual(25);
    expect(canaryShare).toBeGreaterThan(0.3);
    expect(canaryShare).toBeLessThan(0.7);
  });

  it("shows the fault in the canary's figures only", () => {
    const inference = (v: string) => exporter.getFinishedSpans().filter((s) => s.name === "gpu inference" && versionOf(s) === v);
    const serviceMs = (v: string) => new Set(inference(v).map((s) => s.attributes["sample.inference.service_ms"]));
    const errors = (spans: ReadableSpan[]) => spans.filter((s) => s.status.code === SpanStatusCode.ERROR);
    // Inference spans' measured durations: a whole CONSUMER span on a busy machine is mostly PGlite.
    const baselineMedianMs = median(inference(BASELINE).map(durationMs));
    const canaryMedianMs = median(inference(CANARY).map(durationMs));
    expect(serviceMs(BASELINE)).toEqual(new Set([SERVICE_MS]));
    expect(errors(byVersion(BASELINE))).toEqual([]);
    const canaryErrorRatio = errors(byVersion(CANARY)).length / byVersion(CANARY).length;
    if (fault === "slow") {
      expect(serviceMs(CANARY)).toEqual(new Set([2.5 * SERVICE_MS]));
      expect(canaryMedianMs).toBeGreaterThanOrEqual(2.5 * SERVICE_MS);
      expect(canaryMedianMs / baselineMedianMs).toBeGreaterThan(1.5);
      expect(canaryErrorRatio).toBe(0);
    } else if (fault === "errors") {
      expect(serviceMs(CANARY)).toEqual(new Set([SERVICE_MS]));
      expect(canaryErrorRatio).toBeGreaterThan(0.02);
      expect(canaryErrorRatio).toBeLessThan(0.25);
      expect(new Set(errors(byVersion(CANARY)).map((s) => s.attributes["sample.outcome"]))).toEqual(new Set(["dead_lettered"]));
    } else {
      expect(serviceMs(CANARY)).toEqual(new Set([SERVICE_MS]));
      expect(canaryErrorRatio).toBe(0);
      expect(canaryMedianMs / baselineMedianMs).toBeLessThan(1.5);
    }
  });
});
