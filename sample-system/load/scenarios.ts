// Scenario timelines: offered load over time, the fault window and its knob settings; pure, so
// the ground truth a detector is judged against is exactly what the run applied.
import { CANARY_FAULT_SETTINGS, type CanaryFault } from "../canary/release";
import { HEALTHY_KNOBS, type FaultKnobs } from "../knobs";

export const SCENARIO_NAMES = ["steady", "spike", "gpu-slowdown", "flaky-downstream", "db-pool-exhaustion", "cache-stampede", "canary"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
export type SampleMode = "sync" | "async" | "async+cache";

export type FaultWindow = { kind: string; resource: string; description: string; startOffsetMs: number; endOffsetMs: number };
/** The canary's rollout: from `startOffsetMs` to the end of the run it takes `share` of new jobs. */
export type CanaryPlan = { share: number; fault: CanaryFault; startOffsetMs: number };
export type ScenarioPlan = {
  scenario: ScenarioName;
  mode: SampleMode;
  durationMs: number;
  baseRatePerS: number;
  /** Share of requests drawn from a small set of repeated prompts (cache hits when cached). */
  hotPromptRatio: number;
  fault: FaultWindow | null;
  canary: CanaryPlan | null;
};

type Defaults = { durationMs: number; ratePerS: number; hotPromptRatio: number; mode?: SampleMode; fault?: Omit<FaultWindow, "startOffsetMs" | "endOffsetMs"> };
const MINUTE_MS = 60_000;
const DEFAULTS: Record<ScenarioName, Defaults> = {
  // 44 jobs/s keeps about 70 % of the default 8 GPU slots busy (bench:detect measured 56 % at 35/s): busy, not saturated.
  steady: { durationMs: 10 * MINUTE_MS, ratePerS: 44, hotPromptRatio: 0.35 },
  spike: { durationMs: 6 * MINUTE_MS, ratePerS: 10, hotPromptRatio: 0.35, fault: { kind: "traffic-spike", resource: "sample-api POST /v1/jobs", description: "offered load rises 10× for two minutes" } },
  "gpu-slowdown": { durationMs: 6 * MINUTE_MS, ratePerS: 20, hotPromptRatio: 0.35, fault: { kind: "saturation", resource: "queue jobs / sample-worker GPU slots", description: "inference service time ramps up to 5× until arrivals exceed capacity" } },
  "flaky-downstream": { durationMs: 6 * MINUTE_MS, ratePerS: 20, hotPromptRatio: 0.35, fault: { kind: "retry-storm", resource: "downstream feature-store (called by sample-worker)", description: "half of downstream calls fail transiently; workers retry 8× without backoff" } },
  "db-pool-exhaustion": { durationMs: 6 * MINUTE_MS, ratePerS: 20, hotPromptRatio: 0.35, fault: { kind: "db-pool-exhaustion", resource: "db connection pools of sample-api and sample-worker", description: "a connection leak holds every pooled connection" } },
  "cache-stampede": { durationMs: 6 * MINUTE_MS, ratePerS: 30, hotPromptRatio: 0.8, mode: "async+cache", fault: { kind: "cache-stampede", resource: "result cache (hot prompts)", description: "cache flushed, then hot entries expire together every 2 s without jitter" } },
  // At 20/s a 20 % canary sees 4 jobs/s: past a gate's 100 events per side within a minute.
  canary: { durationMs: 6 * MINUTE_MS, ratePerS: 20, hotPromptRatio: 0.35 },
};

const CANARY_FAULT_KINDS: Record<Exclude<CanaryFault, "none">, { kind: string; description: (share: number) => string }> = {
  slow: { kind: "canary-latency", description: (share) => `the canary release takes ${Math.round(share * 100)} % of jobs and infers ${CANARY_FAULT_SETTINGS.slow.serviceTimeFactor}× slower` },
  errors: { kind: "canary-errors", description: (share) => `the canary release takes ${Math.round(share * 100)} % of jobs and fails ${Math.round(CANARY_FAULT_SETTINGS.errors.failureRatio * 100)} % of them` },
};

/** The canary goes live a third into the run (two minutes at most), so the baseline has a history first. */
export function canaryStartOffsetMs(durationMs: number): number {
  return Math.min(2 * MINUTE_MS, Math.floor(durationMs / 3));
}

function planCanary(durationMs: number, options: { share?: number; fault?: CanaryFault; startOffsetMs?: number } = {}): { canary: CanaryPlan; fault: FaultWindow | null } {
  const canary: CanaryPlan = { share: options.share ?? 0.2, fault: options.fault ?? "slow", startOffsetMs: options.startOffsetMs ?? canaryStartOffsetMs(durationMs) };
  if (canary.share < 0 || canary.share > 1) throw new Error(`canary share ${canary.share} is not between 0 and 1`);
  if (canary.fault === "none") return { canary, fault: null };
  const k = CANARY_FAULT_KINDS[canary.fault];
  // The faulty release stays until the run ends: judging it (and rolling back) is the gate's job.
  return { canary, fault: { kind: k.kind, resource: "sample-worker canary release", description: k.description(canary.share), startOffsetMs: canary.startOffsetMs, endOffsetMs: durationMs } };
}

/** Fault window: two minutes (or a third of a shorter run), centred in the run. */
export function faultWindowMs(durationMs: number): { startOffsetMs: number; endOffsetMs: number } {
  const lengthMs = Math.min(2 * MINUTE_MS, Math.floor(durationMs / 3));
  const startOffsetMs = Math.floor((durationMs - lengthMs) / 2);
  return { startOffsetMs, endOffsetMs: startOffsetMs + lengthMs };
}

export function planScenario(options: {
  scenario: ScenarioName;
  durationMs?: number;
  ratePerS?: number;
  mode?: SampleMode;
  /** The canary scenario's rollout; other scenarios ignore it. */
  canary?: { share?: number; fault?: CanaryFault; startOffsetMs?: number };
}): ScenarioPlan {
  const d = DEFAULTS[options.scenario];
  const durationMs = options.durationMs ?? d.durationMs;
  if (options.scenario === "canary") {
    if (options.mode === "sync") throw new Error("the canary scenario needs a queue between the API and the workers: use mode async or async+cache");
    return { scenario: "canary", mode: options.mode ?? "async", durationMs, baseRatePerS: options.ratePerS ?? d.ratePerS, hotPromptRatio: d.hotPromptRatio, ...planCanary(durationMs, options.canary) };
  }
  return {
    scenario: options.scenario,
    mode: d.mode ?? options.mode ?? "async",
    durationMs,
    baseRatePerS: options.ratePerS ?? d.ratePerS,
    hotPromptRatio: d.hotPromptRatio,
    fault: d.fault ? { ...d.fault, ...faultWindowMs(durationMs) } : null,
    canary: null,
  };
}

function inFault(plan: ScenarioPlan, tMs: number): boolean {
  return plan.fault !== null && tMs >= plan.fault.startOffsetMs && tMs < plan.fault.endOffsetMs;
}

/** Offered arrivals per second at `tMs` after the start. */
export function rateAt(plan: ScenarioPlan, tMs: number): number {
  if (plan.scenario === "spike" && inFault(plan, tMs)) return plan.baseRatePerS * 10;
  return plan.baseRatePerS;
}

/** The knobs in force at `tMs`; healthy outside the fault window. */
export function knobsAt(plan: ScenarioPlan, tMs: number): FaultKnobs {
  // The canary's fault is in its code, not a knob: the timeline only shifts traffic to it.
  if (plan.canary) return { ...HEALTHY_KNOBS, canaryShare: tMs >= plan.canary.startOffsetMs ? plan.canary.share : 0 };
  // The stampede's flush happens once: the generation stays raised after the window.
  const flushed = plan.scenario === "cache-stampede" && plan.fault !== null && tMs >= plan.fault.startOffsetMs;
  if (!plan.fault || !inFault(plan, tMs)) return { ...HEALTHY_KNOBS, cacheFlushGeneration: flushed ? 1 : 0 };
  const progress = (tMs - plan.fault.startOffsetMs) / (plan.fault.endOffsetMs - plan.fault.startOffsetMs);
  switch (plan.scenario) {
    case "gpu-slowdown":
      // Ramp over the first half, then hold: the knee shows before the backlog runs away.
      return { ...HEALTHY_KNOBS, serviceTimeFactor: Math.round((1 + 4 * Math.min(1, progress * 2)) * 100) / 100 };
    case "flaky-downstream":
      return { ...HEALTHY_KNOBS, downstreamFailureRatio: 0.5, retryPolicy: "aggressive" };
    case "db-pool-exhaustion":
      return { ...HEALTHY_KNOBS, dbConnectionsLeaked: Number.MAX_SAFE_INTEGER };
    case "cache-stampede":
      return { ...HEALTHY_KNOBS, cacheTtlMs: 2000, cacheStampedeProtection: false, cacheFlushGeneration: 1 };
    default:
      return { ...HEALTHY_KNOBS };
  }
}

/** "90s", "5m", "1h", "250ms" or plain seconds → milliseconds. */
export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`invalid duration "${text}": use e.g. 90s, 5m, 1h`);
  const value = Number(m[1]);
  const unitMs = { ms: 1, s: 1000, m: MINUTE_MS, h: 60 * MINUTE_MS }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Math.round(value * unitMs);
}
