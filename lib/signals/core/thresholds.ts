// Detector thresholds: one zod schema, defaults that suit a typical queue + worker system, per-service overrides.
import { z } from "zod";
import { ServiceNameKey } from "../../telemetry/core/otlp/service-name";

const ratio = () => z.number().min(0).max(1);
const positiveInt = () => z.number().int().positive();

export const SaturationThresholdsSchema = z.object({
  /** Minutes averaged for arrival and completion rates. */
  rateWindowMinutes: positiveInt(),
  /** Minutes used for the backlog slope, utilisation and pool wait. */
  trendWindowMinutes: positiveInt(),
  /** Fewer present (non-gap) minutes than this in a window: no verdict. */
  minPresentMinutes: positiveInt(),
  /** Arrivals must exceed completions by this fraction to count as growth (noise margin). */
  arrivalExcessRatio: z.number().min(0),
  minBacklogSlopePerMinute: z.number().min(0),
  minBacklog: z.number().min(0),
  /** Little's-law wait at or above this fraction of the completion SLO threshold is saturation on its own. */
  waitOfSloRatio: z.number().positive(),
  criticalTimeToBreachMinutes: z.number().positive(),
  utilisationHighRatio: ratio(),
  poolWaitHighMs: z.number().positive(),
  kneeBaselineMinutes: positiveInt(),
  /** p99 must rise by at least this fraction over the baseline for a knee. */
  kneeMinP99RiseRatio: z.number().positive(),
  /** ... and by at least this many times the relative rise of throughput. */
  kneeElasticity: z.number().positive(),
  /** Capacity at the newest service time within this multiple of arrivals (1.2: 83 % busy) ... */
  minCapacityHeadroom: z.number().positive(),
  /** ... or, still rising as in the newest two buckets, below arrivals within this many seconds; ... */
  capacityLookaheadSeconds: z.number().min(0),
  /** ... after the service time rose by at least this fraction over its baseline: capacity falling. */
  serviceTimeRiseRatio: z.number().positive(),
  drainMinutes: z.number().positive(),
  targetUtilisation: z.number().gt(0).max(1),
});

export const RetryStormThresholdsSchema = z.object({
  windowMinutes: positiveInt(),
  baselineMinutes: positiveInt(),
  minPresentMinutes: positiveInt(),
  /** Below this many original requests per minute the caller is too quiet to judge. */
  minOriginalRequestsPerMinute: z.number().min(0),
  minAmplification: z.number().min(1),
  criticalAmplification: z.number().min(1),
  minAttemptsPerJob: z.number().min(1),
  attemptsRiseRatio: z.number().min(0),
  noBackoffMedianDelayMs: z.number().min(0),
  /** A retry interval at least this many times the previous one counts as backing off. */
  backoffGrowthRatio: z.number().min(1),
  /** Below this share of growing intervals (over at least 3 pairs) retries count as not backing off. */
  minBackoffGrowingShare: ratio(),
  errorRiseAbsolute: ratio(),
  downstreamRiseRatio: z.number().min(0),
  successFlatRatio: z.number().min(0),
  minDlqGrowthPerMinute: z.number().min(0),
});

export const CacheStampedeThresholdsSchema = z.object({
  /** Minutes before the newest one that set the usual hit ratio and backend load. */
  baselineMinutes: positiveInt(),
  minPresentMinutes: positiveInt(),
  /** Lookups the newest window must hold (it grows from 10 s up to a minute to find them); fewer: too quiet to judge. */
  minLookups: z.number().min(1),
  /** The hit ratio must fall by at least this much (absolute) below its baseline. */
  minHitRatioDrop: ratio(),
  /** ... and the load the misses send on (publishes by the same service) rise by this fraction. */
  minBackendRiseRatio: z.number().min(0),
});

export const HysteresisSchema = z.object({
  /** How long evaluations must stay positive before a signal opens (and never fewer than two evaluations). */
  openAfterPositiveSeconds: z.number().positive(),
  /** How long evaluations must stay negative before an open signal resolves. */
  resolveAfterNegativeSeconds: z.number().positive(),
});

export const DetectionThresholdsSchema = z.object({
  saturation: SaturationThresholdsSchema,
  retryStorm: RetryStormThresholdsSchema,
  cacheStampede: CacheStampedeThresholdsSchema,
  hysteresis: HysteresisSchema,
});

export type SaturationThresholds = z.infer<typeof SaturationThresholdsSchema>;
export type RetryStormThresholds = z.infer<typeof RetryStormThresholdsSchema>;
export type CacheStampedeThresholds = z.infer<typeof CacheStampedeThresholdsSchema>;
export type Hysteresis = z.infer<typeof HysteresisSchema>;
export type DetectionThresholds = z.infer<typeof DetectionThresholdsSchema>;

export const DEFAULT_THRESHOLDS: DetectionThresholds = {
  saturation: {
    rateWindowMinutes: 3,
    trendWindowMinutes: 5,
    minPresentMinutes: 2,
    arrivalExcessRatio: 0.05,
    minBacklogSlopePerMinute: 10,
    minBacklog: 20,
    waitOfSloRatio: 0.5,
    criticalTimeToBreachMinutes: 15,
    utilisationHighRatio: 0.95,
    poolWaitHighMs: 100,
    kneeBaselineMinutes: 15,
    kneeMinP99RiseRatio: 0.5,
    kneeElasticity: 3,
    minCapacityHeadroom: 1.2,
    capacityLookaheadSeconds: 30,
    serviceTimeRiseRatio: 0.5,
    drainMinutes: 10,
    targetUtilisation: 0.8,
  },
  retryStorm: {
    windowMinutes: 2,
    baselineMinutes: 30,
    minPresentMinutes: 2,
    minOriginalRequestsPerMinute: 10,
    minAmplification: 1.5,
    criticalAmplification: 3,
    minAttemptsPerJob: 1.5,
    attemptsRiseRatio: 0.25,
    noBackoffMedianDelayMs: 100,
    backoffGrowthRatio: 1.5,
    minBackoffGrowingShare: 0.3,
    errorRiseAbsolute: 0.05,
    downstreamRiseRatio: 0.3,
    successFlatRatio: 0.05,
    minDlqGrowthPerMinute: 1,
  },
  cacheStampede: { baselineMinutes: 10, minPresentMinutes: 1, minLookups: 60, minHitRatioDrop: 0.2, minBackendRiseRatio: 0.3 },
  hysteresis: { openAfterPositiveSeconds: 20, resolveAfterNegativeSeconds: 300 },
};

export const ThresholdOverridesSchema = z
  .object({
    saturation: SaturationThresholdsSchema.partial().strict().optional(),
    retryStorm: RetryStormThresholdsSchema.partial().strict().optional(),
    cacheStampede: CacheStampedeThresholdsSchema.partial().strict().optional(),
    hysteresis: HysteresisSchema.partial().strict().optional(),
  })
  .strict();
export type ThresholdOverrides = z.infer<typeof ThresholdOverridesSchema>;

/** What an operator configures: overrides for everything, then per service (by service.name). */
export const ThresholdConfigSchema = z.object({
  defaults: ThresholdOverridesSchema.default({}),
  services: z.record(ServiceNameKey, ThresholdOverridesSchema).default({}),
});
export type ThresholdConfig = z.infer<typeof ThresholdConfigSchema>;

function mergeDefined<T extends object>(base: T, override: Partial<T> | undefined): T {
  const out = { ...base };
  if (!override) return out;
  for (const key of Object.keys(override) as (keyof T)[]) {
    const value = override[key];
    if (value !== undefined) out[key] = value as T[keyof T];
  }
  return out;
}

/** Built-in defaults ← config.defaults ← config.services[service]; validated, so a bad override fails here. */
export function thresholdsForService(config: ThresholdConfig, service: string): DetectionThresholds {
  const layers = [config.defaults, config.services[service]];
  let merged = DEFAULT_THRESHOLDS;
  for (const layer of layers) {
    if (!layer) continue;
    merged = {
      saturation: mergeDefined(merged.saturation, layer.saturation),
      retryStorm: mergeDefined(merged.retryStorm, layer.retryStorm),
      cacheStampede: mergeDefined(merged.cacheStampede, layer.cacheStampede),
      hysteresis: mergeDefined(merged.hysteresis, layer.hysteresis),
    };
  }
  return DetectionThresholdsSchema.parse(merged);
}

/** Where an effective threshold came from, lowest layer first. */
export type ThresholdSource = "built-in" | "environment" | "console";
export type ThresholdOrigin = { source: ThresholdSource; scope: "all services" | "service" };
export type Detector = keyof DetectionThresholds;
export const DETECTORS: readonly Detector[] = ["saturation", "retryStorm", "cacheStampede", "hysteresis"];

/** A configuration layer: the operator's `TAILGUARD_DETECTION_THRESHOLDS`, or what was saved in the console. */
export type ThresholdLayer = { source: Exclude<ThresholdSource, "built-in">; config: ThresholdConfig };

/**
 * The order in which overrides apply to one service (later wins): built-in ← every layer's defaults ← every layer's
 * overrides for the service. So a service override always beats an all-services one, whichever layer holds it,
 * and within a scope the console beats the environment.
 */
function overrideStack(layers: readonly ThresholdLayer[], service: string | null): { origin: ThresholdOrigin; overrides: ThresholdOverrides }[] {
  const all = layers.map((l) => ({ origin: { source: l.source, scope: "all services" as const }, overrides: l.config.defaults }));
  const own = service === null ? [] : layers.flatMap((l) => {
    const overrides = l.config.services[service];
    return overrides ? [{ origin: { source: l.source, scope: "service" as const }, overrides }] : [];
  });
  return [...all, ...own];
}

/** Layers folded into one config with the same effect under `thresholdsForService`, for the detection engine. */
export function stackThresholdLayers(layers: readonly ThresholdLayer[]): ThresholdConfig {
  const services = new Set(layers.flatMap((l) => Object.keys(l.config.services)));
  const fold = (stack: { overrides: ThresholdOverrides }[]): ThresholdOverrides => {
    const out: ThresholdOverrides = {};
    for (const { overrides } of stack) {
      for (const detector of DETECTORS) {
        const add = overrides[detector];
        if (add) out[detector] = mergeDefined(out[detector] ?? {}, add) as never;
      }
    }
    return out;
  };
  return {
    defaults: fold(overrideStack(layers, null)),
    services: Object.fromEntries([...services].map((s) => [s, fold(overrideStack(layers, s).filter((x) => x.origin.scope === "service"))])),
  };
}

export type ExplainedThresholds = {
  thresholds: DetectionThresholds;
  origins: { [D in Detector]: Record<keyof DetectionThresholds[D], ThresholdOrigin> };
};

/** The thresholds one service (or, with `null`, every service without its own overrides) is judged by, and where each value came from. */
export function explainThresholds(layers: readonly ThresholdLayer[], service: string | null): ExplainedThresholds {
  const thresholds = structuredClone(DEFAULT_THRESHOLDS) as DetectionThresholds;
  const builtIn: ThresholdOrigin = { source: "built-in", scope: "all services" };
  const origins = Object.fromEntries(
    DETECTORS.map((d) => [d, Object.fromEntries(Object.keys(DEFAULT_THRESHOLDS[d]).map((field) => [field, builtIn]))]),
  ) as ExplainedThresholds["origins"];
  for (const { origin, overrides } of overrideStack(layers, service)) {
    for (const detector of DETECTORS) {
      for (const [field, value] of Object.entries(overrides[detector] ?? {})) {
        if (value === undefined) continue;
        (thresholds[detector] as Record<string, unknown>)[field] = value;
        (origins[detector] as Record<string, ThresholdOrigin>)[field] = origin;
      }
    }
  }
  return { thresholds: DetectionThresholdsSchema.parse(thresholds), origins };
}

/** A validation problem in words for the console and API (zod's own read "Too small: expected number to be >=0"). */
export function thresholdIssueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      return `must be ${issue.inclusive ? "at least" : "more than"} ${String(issue.minimum)}`;
    case "too_big":
      return `must be ${issue.inclusive ? "at most" : "less than"} ${String(issue.maximum)}`;
    case "invalid_type":
      return issue.expected === "int" ? "must be a whole number" : `must be ${issue.expected === "number" ? "a number" : `a ${issue.expected}`}`;
    case "invalid_key":
      return `not a service name: ${issue.issues.map((i) => i.message).join(", ")}`;
    case "unrecognized_keys":
      return `no such threshold: ${issue.keys.join(", ")}`;
    default:
      return issue.message;
  }
}
