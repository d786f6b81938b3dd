// One-sided tests of "the candidate is worse than the baseline", for bad-event proportions and duration histograms.
import { errorFunction, gammaln } from "simple-statistics";
import { histogramQuantile } from "../../telemetry/core/metrics/histogram-quantile";

/** Events and bad events of one side (candidate or baseline) over the compared interval. */
export interface EventCounts {
  events: number;
  badEvents: number;
}

export interface ProportionTest {
  /** P(a candidate at least this much worse | both versions share one bad-event proportion). */
  pValue: number;
  test: "fisher" | "z";
}

export interface MannWhitneyResult {
  /** The candidate's U: pairs (candidate, baseline) where the candidate is slower, ties counting one half. */
  u: number;
  /** P(U ≥ u) when neither version is slower than the other (one-sided "greater", as scipy). */
  pValue: number;
  method: "exact" | "asymptotic";
}

/**
 * P(Z ≥ z) for a standard normal Z. simple-statistics' errorFunction is accurate to 1.2e-7 relative;
 * its cumulativeStdNormalProbability is a 4-digit table clamped at |z| = 3.09, too coarse for p-values.
 */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return 0.5 * (1 - errorFunction(z / Math.SQRT2));
}

function logChoose(n: number, k: number): number {
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
}

/**
 * Fisher's exact test, one-sided "greater", on [[a, b], [c, d]] = [[candidate bad, candidate good],
 * [baseline bad, baseline good]]: P(X ≥ a) for X hypergeometric with the table's margins, as
 * scipy.stats.fisher_exact(table, alternative="greater") and R's fisher.test(alternative = "greater").
 * Log-gamma keeps the terms finite for tables with millions of events.
 */
export function fisherExactGreater(candidate: EventCounts, baseline: EventCounts): number {
  const rows = { candidate: candidate.events, baseline: baseline.events };
  const bad = candidate.badEvents + baseline.badEvents;
  const lowest = Math.max(0, bad - rows.baseline);
  const highest = Math.min(rows.candidate, bad);
  const from = Math.max(candidate.badEvents, lowest);
  if (from > highest) return 0;
  if (from === lowest) return 1;
  const term = (k: number): number =>
    Math.exp(logChoose(rows.candidate, k) + logChoose(rows.baseline, bad - k) - logChoose(rows.candidate + rows.baseline, bad));
  // Sum away from the mode, where terms only shrink: a start term that underflows then means a negligible tail.
  const mode = Math.floor(((rows.candidate + 1) * (bad + 1)) / (rows.candidate + rows.baseline + 2));
  if (from > mode) {
    let sum = 0;
    for (let k = from, t = term(from); k <= highest && t > 0; k++) {
      sum += t;
      t *= ((rows.candidate - k) * (bad - k)) / ((k + 1) * (rows.baseline - bad + k + 1));
    }
    return Math.min(1, sum);
  }
  let below = 0;
  for (let k = from - 1, t = term(from - 1); k >= lowest && t > 0; k--) {
    below += t;
    t *= (k * (rows.baseline - bad + k)) / ((rows.candidate - k + 1) * (bad - k + 1));
  }
  return Math.max(0, 1 - below);
}

/**
 * Two-proportion z-test with the pooled proportion, one-sided "candidate larger": statsmodels'
 * proportions_ztest([a, c], [n1, n2], alternative="larger"), or R's prop.test(correct = FALSE) halved.
 */
export function twoProportionZGreater(candidate: EventCounts, baseline: EventCounts): number {
  const pooled = (candidate.badEvents + baseline.badEvents) / (candidate.events + baseline.events);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / candidate.events + 1 / baseline.events));
  if (!(se > 0)) return 1;
  return normalUpperTail((candidate.badEvents / candidate.events - baseline.badEvents / baseline.events) / se);
}

/** Cochran's rule: the normal approximation is trusted only when every expected cell is at least 5. */
const MIN_EXPECTED_CELL = 5;

function smallestExpectedCell(candidate: EventCounts, baseline: EventCounts): number {
  const total = candidate.events + baseline.events;
  if (total === 0) return 0;
  const bad = candidate.badEvents + baseline.badEvents;
  const rows = Math.min(candidate.events, baseline.events);
  return (rows * Math.min(bad, total - bad)) / total;
}

/** Is the candidate's bad-event proportion greater than the baseline's? Fisher when any expected cell < 5, else z. */
export function proportionGreaterTest(candidate: EventCounts, baseline: EventCounts): ProportionTest {
  if (smallestExpectedCell(candidate, baseline) < MIN_EXPECTED_CELL) return { pValue: fisherExactGreater(candidate, baseline), test: "fisher" };
  return { pValue: twoProportionZGreater(candidate, baseline), test: "z" };
}

/**
 * P(U ≥ u) under the exact null distribution of U for samples of m and n without ties. The counts of U are
 * the coefficients of the Gaussian binomial [m+n choose m]_q = ∏ (1 − q^(n+i)) / (1 − q^i), built in
 * O(min(m, n) · mn). Only the lower half is built (U is symmetric about mn/2), where no step cancels badly.
 */
export function exactUUpperTail(u: number, m: number, n: number): number {
  const small = Math.min(m, n);
  const large = Math.max(m, n);
  const top = small * large;
  const half = Math.floor(top / 2);
  const counts = new Float64Array(half + 1);
  counts[0] = 1;
  for (let i = 1; i <= small; i++) {
    const drop = large + i;
    for (let k = half; k >= drop; k--) counts[k] = (counts[k] ?? 0) - (counts[k - drop] ?? 0);
    for (let k = i; k <= half; k++) counts[k] = (counts[k] ?? 0) + (counts[k - i] ?? 0);
  }
  const below = (k: number): number => {
    let sum = 0;
    for (let j = 0; j <= Math.min(k, half); j++) sum += counts[j] ?? 0;
    return sum;
  };
  const total = top % 2 === 0 ? 2 * below(half - 1) + (counts[half] ?? 0) : 2 * below(half);
  const p = u > top / 2 ? below(Math.floor(top - u)) / total : 1 - below(Math.ceil(u) - 1) / total;
  return Math.min(1, Math.max(0, p));
}

/** scipy's method="auto": exact when either sample has at most 8 values and nothing is tied, else normal. */
const EXACT_MAX_SAMPLE = 8;

/**
 * Mann–Whitney U, one-sided (candidate slower), from counts per ordered bin of both versions over the same
 * bins: values in one bin are ties. Matches scipy.stats.mannwhitneyu(candidate, baseline,
 * alternative="greater") with its defaults (method "auto", tie correction, continuity correction), in O(bins).
 */
export function mannWhitneyFromCounts(candidateCounts: readonly number[], baselineCounts: readonly number[]): MannWhitneyResult {
  if (candidateCounts.length !== baselineCounts.length) throw new Error("mannWhitneyFromCounts needs the same bins on both sides");
  let u = 0;
  let baselineBelow = 0;
  let tieTerm = 0;
  for (const [i, c] of candidateCounts.entries()) {
    const b = baselineCounts[i] ?? 0;
    u += c * (baselineBelow + b / 2);
    baselineBelow += b;
    const t = c + b;
    tieTerm += t * t * t - t;
  }
  const n1 = candidateCounts.reduce((a, c) => a + c, 0);
  const n2 = baselineBelow;
  if ((n1 <= EXACT_MAX_SAMPLE || n2 <= EXACT_MAX_SAMPLE) && tieTerm === 0) return { u, pValue: exactUUpperTail(u, n1, n2), method: "exact" };
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  // All values tied (or a side empty): nothing says the candidate is slower.
  if (!(sd > 0)) return { u, pValue: 1, method: "asymptotic" };
  return { u, pValue: normalUpperTail((u - (n1 * n2) / 2 - 0.5) / sd), method: "asymptotic" };
}

/** The same test on raw durations (numbers, not NaN): equal values become one bin, so it reduces to the counts form. */
export function mannWhitney(candidate: readonly number[], baseline: readonly number[]): MannWhitneyResult {
  const values = [...new Set([...candidate, ...baseline])].sort((a, b) => a - b);
  const bin = new Map(values.map((v, i) => [v, i]));
  const countsOf = (sample: readonly number[]): number[] => {
    const counts = new Array<number>(values.length).fill(0);
    for (const v of sample) {
      const i = bin.get(v) ?? 0;
      counts[i] = (counts[i] ?? 0) + 1;
    }
    return counts;
  };
  return mannWhitneyFromCounts(countsOf(candidate), countsOf(baseline));
}

export interface DurationPercentiles {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** p50/p95/p99 from bucket counts (one more count than bounds: the +Inf bucket), interpolated as histogram_quantile. */
export function durationPercentiles(boundsMs: readonly number[], counts: readonly number[]): DurationPercentiles {
  return {
    p50Ms: histogramQuantile(boundsMs, counts, 0.5),
    p95Ms: histogramQuantile(boundsMs, counts, 0.95),
    p99Ms: histogramQuantile(boundsMs, counts, 0.99),
  };
}
