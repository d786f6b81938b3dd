// Estimates a quantile from bucket counts by linear interpolation inside the bucket, as Prometheus's histogram_quantile.

/**
 * `explicitBounds` are OTLP upper bounds (ascending); `bucketCounts` has one more entry, the +Inf bucket.
 * The first bucket's lower bound is 0 when its upper bound is positive; a rank landing in the +Inf bucket
 * returns the largest finite bound. Null when there are no observations or the shapes do not match.
 * q < 0 gives -Infinity and q > 1 gives +Infinity, as in Prometheus.
 */
export function histogramQuantile(explicitBounds: readonly number[], bucketCounts: readonly number[], q: number): number | null {
  if (bucketCounts.length !== explicitBounds.length + 1 || Number.isNaN(q)) return null;
  const total = bucketCounts.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  if (explicitBounds.length === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < bucketCounts.length; i++) {
    const inBucket = bucketCounts[i] as number;
    if (below + inBucket >= rank && inBucket > 0) {
      if (i === explicitBounds.length) return explicitBounds[i - 1] as number;
      const upper = explicitBounds[i] as number;
      if (i === 0 && upper <= 0) return upper;
      const lower = i === 0 ? 0 : (explicitBounds[i - 1] as number);
      return lower + ((upper - lower) * (rank - below)) / inBucket;
    }
    below += inBucket;
  }
  return explicitBounds[explicitBounds.length - 1] as number;
}
