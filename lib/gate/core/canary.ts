// Canary verdicts: is the candidate version worse than its baseline on the same SLIs over the same interval?
import type { SliKind } from "../../slo/core/definition";
import { durationPercentiles, mannWhitneyFromCounts, proportionGreaterTest } from "./canary-stats";
import type { CanaryThresholds } from "./policy";
import { type CanaryReasonFigures, type GateReason, reasonFor } from "./reasons";

/** Span durations in the rollups' buckets: `counts` has one more entry than `boundsMs`, the +Inf bucket. */
export interface DurationHistogram {
  boundsMs: readonly number[];
  counts: readonly number[];
}

export interface CanarySideInput {
  events: number;
  badEvents: number;
  durations?: DurationHistogram;
}

export interface CanarySloInput {
  slo: string;
  sli: SliKind;
  candidate: CanarySideInput;
  baseline: CanarySideInput;
}

export interface CanarySideFigures {
  events: number;
  badEvents: number;
  /** badEvents / events; null without events (no data is not a ratio of 0). */
  ratio: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export type CanaryVerdict = "worse" | "not_worse" | "insufficient_data";

export interface CanaryComparison {
  slo: string;
  sli: SliKind;
  candidate: CanarySideFigures;
  baseline: CanarySideFigures;
  /** One-sided: the probability of a candidate at least this much worse if both versions behaved alike. */
  pValue: number;
  /** Which test gave the p-value: durations by Mann–Whitney U, bad-event ratios by Fisher or z. */
  test: CanaryReasonFigures["test"];
  verdict: CanaryVerdict;
}

export interface CanaryJudgement {
  comparisons: CanaryComparison[];
  /** One reason per comparison, in the order of the input. */
  reasons: GateReason[];
}

/** SLIs whose objective is a duration threshold: their distributions say more than the share over the threshold. */
const DURATION_SLIS: ReadonlySet<SliKind> = new Set<SliKind>(["latency", "queueWait"]);

function sideFigures(side: CanarySideInput): CanarySideFigures {
  const percentiles = side.durations
    ? durationPercentiles(side.durations.boundsMs, side.durations.counts)
    : { p50Ms: null, p95Ms: null, p99Ms: null };
  return { events: side.events, badEvents: side.badEvents, ratio: side.events > 0 ? side.badEvents / side.events : null, ...percentiles };
}

const total = (counts: readonly number[]) => counts.reduce((a, c) => a + c, 0);

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((bound, i) => bound === b[i]);
}

/** What one SLO is judged on; pairs are [candidate, baseline]. */
interface CanaryMeasure {
  measure: CanaryReasonFigures["measure"];
  /** Events, or spans when durations are compared. */
  sizes: [number, number];
  values: [number | null, number | null];
  difference: number | null;
  allowed: number;
  pValue: number;
  test: CanaryReasonFigures["test"];
}

function measure(input: CanarySloInput, candidate: CanarySideFigures, baseline: CanarySideFigures, thresholds: CanaryThresholds): CanaryMeasure {
  const c = input.candidate.durations;
  const b = input.baseline.durations;
  if (DURATION_SLIS.has(input.sli) && c && b) {
    if (!sameBounds(c.boundsMs, b.boundsMs)) throw new Error(`SLO "${input.slo}": candidate and baseline durations use different buckets`);
    const difference = relativeIncrease(candidate.p95Ms, baseline.p95Ms);
    return {
      measure: "p95",
      sizes: [total(c.counts), total(b.counts)],
      values: [candidate.p95Ms, baseline.p95Ms],
      difference,
      allowed: thresholds.maxP95IncreaseRatio,
      pValue: mannWhitneyFromCounts(c.counts, b.counts).pValue,
      test: "mann_whitney_u",
    };
  }
  const proportion = proportionGreaterTest(input.candidate, input.baseline);
  return {
    measure: "error_ratio",
    sizes: [candidate.events, baseline.events],
    values: [candidate.ratio, baseline.ratio],
    difference: candidate.ratio === null || baseline.ratio === null ? null : candidate.ratio - baseline.ratio,
    allowed: thresholds.maxErrorRatioIncrease,
    pValue: proportion.pValue,
    test: proportion.test,
  };
}

/** (candidate − baseline) / baseline; a slower candidate over a zero baseline is infinitely slower. */
function relativeIncrease(candidate: number | null, baseline: number | null): number | null {
  if (candidate === null || baseline === null) return null;
  if (baseline > 0) return (candidate - baseline) / baseline;
  return candidate > 0 ? Number.POSITIVE_INFINITY : 0;
}

function judgeSlo(input: CanarySloInput, thresholds: CanaryThresholds): { comparison: CanaryComparison; reason: GateReason } {
  const candidate = sideFigures(input.candidate);
  const baseline = sideFigures(input.baseline);
  const m = measure(input, candidate, baseline, thresholds);
  const figures: CanaryReasonFigures = {
    slo: input.slo,
    measure: m.measure,
    candidate: { value: m.values[0], events: m.sizes[0], badEvents: candidate.badEvents },
    baseline: { value: m.values[1], events: m.sizes[1], badEvents: baseline.badEvents },
    difference: m.difference,
    allowed: m.allowed,
    pValue: m.pValue,
    test: m.test,
    significanceLevel: thresholds.significanceLevel,
  };
  const verdict = verdictOf(m, thresholds);
  const reason =
    verdict === "insufficient_data"
      ? reasonFor.canaryInsufficientData(figures, thresholds.minEventsPerSide)
      : verdict === "worse"
        ? reasonFor.canaryWorse(figures)
        : reasonFor.canaryNotWorse(figures);
  return { comparison: { slo: input.slo, sli: input.sli, candidate, baseline, pValue: m.pValue, test: m.test, verdict }, reason };
}

/** Worse needs both: a difference chance would rarely produce, and one larger than the policy tolerates. */
function verdictOf(m: CanaryMeasure, thresholds: CanaryThresholds): CanaryVerdict {
  if (Math.min(...m.sizes) < thresholds.minEventsPerSide || m.difference === null) return "insufficient_data";
  return m.pValue < thresholds.significanceLevel && m.difference > m.allowed ? "worse" : "not_worse";
}

/**
 * Pure: the caller picks the SLOs in scope, loads both versions' figures over one interval, and takes the
 * thresholds from the policy (canaryThresholds). A comparison with too little data is inconclusive, never a pass.
 */
export function judgeCanary(options: { slos: readonly CanarySloInput[]; thresholds: CanaryThresholds }): CanaryJudgement {
  const judged = options.slos.map((slo) => judgeSlo(slo, options.thresholds));
  return { comparisons: judged.map((j) => j.comparison), reasons: judged.map((j) => j.reason) };
}
