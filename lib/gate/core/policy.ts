// Release-gate policy: thresholds with defaults, and which SLOs and signals a gate looks at.
import { z } from "zod";

const Labels = z.record(z.string().min(1), z.string());

export const GateScopeSchema = z.object({
  /** service.name values the gate covers; empty covers every service. */
  services: z.array(z.string().min(1)).default([]),
  /** Labels an SLO must carry (all of them) to count. */
  labels: Labels.default({}),
});

/** How a canary is compared with its baseline; a policy without a `canary` block gets these defaults. */
export const CanaryThresholdsSchema = z.object({
  /** Largest rise of the bad-event ratio tolerated, as a ratio: 0.005 = +0.5 percentage points. */
  maxErrorRatioIncrease: z.number().min(0).max(1).default(0.005),
  /** Largest relative rise of p95 tolerated: 0.1 = +10 %. */
  maxP95IncreaseRatio: z.number().min(0).default(0.1),
  /** A difference counts as real only when its one-sided p-value is below this. */
  significanceLevel: z.number().gt(0).max(0.5).default(0.05),
  /** Events (or spans, for durations) each side needs; below it the comparison is inconclusive, never a pass. */
  minEventsPerSide: z.number().int().positive().default(100),
});

export type CanaryThresholds = z.infer<typeof CanaryThresholdsSchema>;

export const GatePolicySchema = z
  .object({
    /** Budget remaining below this fails the gate; 0 means "fail once the budget is overspent". */
    minBudgetRemainingRatio: z.number().max(1).default(0),
    warnBudgetRemainingRatio: z.number().max(1).default(0.25),
    /** Burn rate ceilings per alert window ("1h", "6h", …); above one fails. None by default. */
    maxBurnRates: z.record(z.string().min(1), z.number().positive()).default({}),
    failOnPageAlerts: z.boolean().default(true),
    warnOnTicketAlerts: z.boolean().default(true),
    failOnCriticalSignals: z.boolean().default(true),
    warnOnWarningSignals: z.boolean().default(true),
    /** What missing or stale SLO data does to the decision: never a silent pass. */
    noData: z.enum(["inconclusive", "warn", "fail"]).default("inconclusive"),
    /** SLO figures older than this count as missing. */
    maxDataAgeMinutes: z.number().positive().default(10),
    scope: GateScopeSchema.prefault({}),
    /**
     * Key SLOs fail the gate on their own. When any are named, the other SLOs in scope can only warn
     * (their failures are reported as warnings), and a key SLO without figures is inconclusive.
     */
    keySlos: z.array(z.string().min(1)).default([]),
    /** Optional so that policies saved before canary verdicts read back unchanged; see canaryThresholds. */
    canary: CanaryThresholdsSchema.optional(),
  })
  .refine((p) => p.warnBudgetRemainingRatio >= p.minBudgetRemainingRatio, {
    message: "warnBudgetRemainingRatio must be at least minBudgetRemainingRatio",
    path: ["warnBudgetRemainingRatio"],
  });

export type GatePolicy = z.infer<typeof GatePolicySchema>;
export type GateScope = z.infer<typeof GateScopeSchema>;

/** The policy's canary thresholds, or the defaults when it has none. */
export function canaryThresholds(policy: GatePolicy): CanaryThresholds {
  return policy.canary ?? CanaryThresholdsSchema.parse({});
}

function labelsMatch(required: Record<string, string>, actual: Record<string, string> | undefined): boolean {
  return Object.entries(required).every(([key, value]) => actual?.[key] === value);
}

/** An SLO counts when its service is in scope (or the scope names none) and it carries every scope label. */
export function sloInScope(scope: GateScope, slo: { service: string; labels?: Record<string, string> }): boolean {
  return (scope.services.length === 0 || scope.services.includes(slo.service)) && labelsMatch(scope.labels, slo.labels);
}

/**
 * A signal counts when it names a service in scope, or names none: a saturated shared queue with no
 * attributed service may well be the release's problem, and the gate fails closed rather than ignore it.
 * Scope labels apply only to signals that carry labels.
 */
export function signalInScope(scope: GateScope, signal: { services?: string[]; labels?: Record<string, string> }): boolean {
  const services = signal.services ?? [];
  const serviceOk = scope.services.length === 0 || services.length === 0 || services.some((s) => scope.services.includes(s));
  const labelsOk = signal.labels === undefined || Object.keys(signal.labels).length === 0 || labelsMatch(scope.labels, signal.labels);
  return serviceOk && labelsOk;
}
