// RED figures (rate, errors, duration quantiles) from summed span rollups; pure, so lists and charts agree.
import { durationQuantileMs, DURATION_BUCKET_COUNT } from "../metrics/duration-buckets";

export type RollupTotals = { count: number; errors: number; buckets: number[] };

export type Red = { requestRatePerS: number; errorRatio: number | null; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null };

/** Spans that are requests: a service's answered calls and its processed messages. */
export const ENTRY_KINDS: readonly string[] = ["SERVER", "CONSUMER"];

export function emptyTotals(): RollupTotals {
  return { count: 0, errors: 0, buckets: new Array<number>(DURATION_BUCKET_COUNT).fill(0) };
}

export function addTotals(into: RollupTotals, row: { count: number; errors: number; buckets: readonly number[] }): void {
  into.count += row.count;
  into.errors += row.errors;
  row.buckets.forEach((n, i) => (into.buckets[i] = (into.buckets[i] ?? 0) + n));
}

/** Rate over `seconds`; the error ratio and quantiles are null without requests (not a fabricated 0). */
export function redOf(totals: RollupTotals, seconds: number): Red {
  const q = (p: number) => (totals.count > 0 ? durationQuantileMs(totals.buckets, p) : null);
  return {
    requestRatePerS: totals.count / seconds,
    errorRatio: totals.count > 0 ? totals.errors / totals.count : null,
    p50Ms: q(0.5),
    p95Ms: q(0.95),
    p99Ms: q(0.99),
  };
}
