// The fixed log-scale duration histogram of span rollups: bounds grow by 2^(1/4) (about 19 %) from 10 µs to past
// 1 h, so a quantile interpolated inside one bucket is off by at most one bucket's width.
import { histogramQuantile } from "./histogram-quantile";

const FIRST_BOUND_NS = 10_000;
const STEPS_PER_DOUBLING = 4;
const LAST_BOUND_NS = 3_600_000_000_000;

/** Upper bounds in nanoseconds (inclusive, as OTLP bounds are); counts have one more entry, the +Inf bucket. */
export const DURATION_BOUNDS_NS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let i = 0; ; i++) {
    const bound = Math.round(FIRST_BOUND_NS * 2 ** (i / STEPS_PER_DOUBLING));
    bounds.push(bound);
    if (bound >= LAST_BOUND_NS) return bounds;
  }
})();

export const DURATION_BUCKET_COUNT = DURATION_BOUNDS_NS.length + 1;

const BOUNDS_MS = DURATION_BOUNDS_NS.map((ns) => ns / 1e6);

/** The bucket a duration falls in: the first bound it does not exceed. */
export function durationBucketIndex(durationNs: number): number {
  if (durationNs <= FIRST_BOUND_NS) return 0;
  let i = Math.min(DURATION_BOUNDS_NS.length, Math.ceil(STEPS_PER_DOUBLING * Math.log2(durationNs / FIRST_BOUND_NS)));
  // The logarithm can land one off either way at a bound; step to the exact bucket.
  while (i > 0 && durationNs <= (DURATION_BOUNDS_NS[i - 1] as number)) i--;
  while (i < DURATION_BOUNDS_NS.length && durationNs > (DURATION_BOUNDS_NS[i] as number)) i++;
  return i;
}

export function emptyDurationBuckets(): number[] {
  return new Array<number>(DURATION_BUCKET_COUNT).fill(0);
}

/** A quantile in milliseconds from rollup bucket counts, or null when there are no observations. */
export function durationQuantileMs(buckets: readonly number[], q: number): number | null {
  if (buckets.length !== DURATION_BUCKET_COUNT) return null;
  return histogramQuantile(BOUNDS_MS, buckets, q);
}
