// Runs one scenario against a started sample system: offers the planned load, turns the fault
// knobs on and off at the planned times, and writes the ground truth before and after.
import { canaryQueueName, canaryVersionOf, CANARY_FAULT_SETTINGS } from "../canary/release";
import type { SampleSystemConfig } from "../config";
import { HEALTHY_KNOBS, type FaultKnobs } from "../knobs";
import type { QueueDepth } from "../queue/message";
import { groundTruthFor, writeGroundTruth, type CanaryReleases, type GroundTruth } from "./ground-truth";
import { summariseRun, type RequestOutcome, type RunSummary } from "./latency-stats";
import { runOpenLoopLoad } from "./load-generator";
import { requestMaker } from "./prompts";
import { knobsAt, rateAt, type ScenarioPlan } from "./scenarios";

/** What a run needs of the system under load; the handle `startSampleSystem` returns is one. */
export type ScenarioSystem = {
  apiUrl: string;
  metricsUrl: string | null;
  config: Pick<SampleSystemConfig, "queueName" | "requestTimeoutMs" | "syncRequestTimeoutMs" | "serviceVersion" | "canary">;
  setKnobs(knobs: Partial<FaultKnobs>): void;
  depth(): QueueDepth;
};

export type ScenarioRunOptions = {
  system: ScenarioSystem;
  plan: ScenarioPlan;
  groundTruthPath: string;
  maxInFlight: number;
  maxRequests: number;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
};

function faultKnobsOf(plan: ScenarioPlan): Partial<FaultKnobs> {
  if (!plan.fault) return {};
  const during = knobsAt(plan, plan.fault.endOffsetMs - 1);
  return Object.fromEntries(Object.entries(during).filter(([k, v]) => HEALTHY_KNOBS[k as keyof FaultKnobs] !== v));
}

/** The canary's releases as the system runs them; a plan whose canary the system lacks is refused. */
function canaryReleasesOf(system: ScenarioSystem, plan: ScenarioPlan): CanaryReleases | null {
  if (!plan.canary) return null;
  const { canary } = system.config;
  if (!canary) throw new Error("the canary scenario needs a system started with a canary (option canary)");
  if (canary.fault !== plan.canary.fault) throw new Error(`the plan's canary fault (${plan.canary.fault}) differs from the running canary's (${canary.fault})`);
  return {
    service: "sample-worker",
    baseline_version: system.config.serviceVersion,
    version: canaryVersionOf(system.config) as string,
    settings: { service_time_factor: CANARY_FAULT_SETTINGS[canary.fault].serviceTimeFactor, failure_ratio: CANARY_FAULT_SETTINGS[canary.fault].failureRatio },
    queue: canaryQueueName(system.config.queueName),
  };
}

export async function runScenario(options: ScenarioRunOptions): Promise<{ truth: GroundTruth; summary: RunSummary }> {
  const { system, plan } = options;
  const startedAtMs = Date.now();
  const t0 = performance.now();
  const systemInfo = { services: ["sample-api", "sample-worker"], queue: system.config.queueName, api_url: system.apiUrl, metrics_url: system.metricsUrl };
  const base = { plan, startedAtMs, faultKnobs: faultKnobsOf(plan), system: systemInfo, canary: canaryReleasesOf(system, plan) };
  await writeGroundTruth(options.groundTruthPath, groundTruthFor({ ...base, status: "running" }));

  let applied = "";
  const applyKnobs = () => {
    const knobs = knobsAt(plan, performance.now() - t0);
    const json = JSON.stringify(knobs);
    if (json !== applied) {
      applied = json;
      system.setKnobs(knobs);
      options.onProgress?.(`knobs: ${json}`);
    }
  };
  applyKnobs();
  const knobTicker = setInterval(applyKnobs, 250);

  let window: RequestOutcome[] = [];
  const progress = setInterval(() => {
    const s = summariseRun(window, { durationMs: 10_000 });
    const d = system.depth();
    options.onProgress?.(`t=${Math.round((performance.now() - t0) / 1000)}s offered=${(s.offered / 10).toFixed(1)}/s ok=${s.succeeded} status=${JSON.stringify(s.byStatus)} p99=${s.p99Ms?.toFixed(0) ?? "-"}ms backlog=${d.ready} retrying=${d.retrying} dlq=${d.dead}`);
    window = [];
  }, 10_000);

  try {
    const result = await runOpenLoopLoad({
      baseUrl: system.apiUrl,
      rateAt: (t) => rateAt(plan, t),
      durationMs: plan.durationMs,
      maxInFlight: options.maxInFlight,
      maxRequests: options.maxRequests,
      clientTimeoutMs: Math.max(system.config.requestTimeoutMs, system.config.syncRequestTimeoutMs) + 5000,
      makeRequest: requestMaker({ hotPromptRatio: plan.hotPromptRatio }),
      statusPollRatio: 0.05,
      onOutcome: (o) => window.push(o),
      signal: options.signal,
    });
    const summary = summariseRun(result.outcomes, { durationMs: result.endedAtMs - result.startedAtMs, droppedClientSide: result.droppedClientSide });
    const truth = groundTruthFor({ ...base, endedAtMs: Date.now(), load: summary, status: options.signal?.aborted ? "interrupted" : "finished" });
    await writeGroundTruth(options.groundTruthPath, truth);
    return { truth, summary };
  } finally {
    clearInterval(knobTicker);
    clearInterval(progress);
    system.setKnobs(HEALTHY_KNOBS);
  }
}
