// Arithmetic on OTLP exponential-histogram buckets: downscaling, adding / subtracting, and explicit upper bounds.
//
// At scale s, bucket index i covers (base^i, base^(i+1)] with base = 2^(2^-s); lowering the scale by one merges
// bucket pairs (index i → i >> 1), so histograms of different scales combine exactly at the smaller scale.
import type { OtlpExponentialBuckets } from "../otlp/metric-types";

export interface ExponentialShape {
  scale: number;
  zeroCount: number;
  positive: OtlpExponentialBuckets;
  negative: OtlpExponentialBuckets;
}

export function downscaleBuckets(buckets: OtlpExponentialBuckets, byScales: number): OtlpExponentialBuckets {
  if (byScales <= 0 || buckets.bucketCounts.length === 0) return buckets;
  const factor = 2 ** byScales;
  const offset = Math.floor(buckets.offset / factor);
  const lastIndex = Math.floor((buckets.offset + buckets.bucketCounts.length - 1) / factor);
  const bucketCounts = new Array<number>(lastIndex - offset + 1).fill(0);
  buckets.bucketCounts.forEach((count, i) => {
    const index = Math.floor((buckets.offset + i) / factor) - offset;
    bucketCounts[index] = (bucketCounts[index] as number) + count;
  });
  return { offset, bucketCounts };
}

/** a + sign·b bucket-wise, both at the same scale; the result spans both index ranges. */
export function combineBuckets(a: OtlpExponentialBuckets, b: OtlpExponentialBuckets, sign: 1 | -1): OtlpExponentialBuckets {
  if (b.bucketCounts.length === 0) return a;
  if (a.bucketCounts.length === 0 && sign === 1) return b;
  const aEnd = a.bucketCounts.length === 0 ? b.offset : a.offset + a.bucketCounts.length;
  const offset = a.bucketCounts.length === 0 ? b.offset : Math.min(a.offset, b.offset);
  const end = Math.max(aEnd, b.offset + b.bucketCounts.length);
  const bucketCounts = new Array<number>(end - offset).fill(0);
  a.bucketCounts.forEach((count, i) => (bucketCounts[a.offset + i - offset] = count));
  b.bucketCounts.forEach((count, i) => (bucketCounts[b.offset + i - offset] = (bucketCounts[b.offset + i - offset] as number) + sign * count));
  return { offset, bucketCounts };
}

/** a + sign·b at the smaller of the two scales. */
export function combineExponential<T extends ExponentialShape>(a: T, b: ExponentialShape, sign: 1 | -1): T {
  const scale = Math.min(a.scale, b.scale);
  return {
    ...a,
    scale,
    zeroCount: a.zeroCount + sign * b.zeroCount,
    positive: combineBuckets(downscaleBuckets(a.positive, a.scale - scale), downscaleBuckets(b.positive, b.scale - scale), sign),
    negative: combineBuckets(downscaleBuckets(a.negative, a.scale - scale), downscaleBuckets(b.negative, b.scale - scale), sign),
  };
}

/**
 * Explicit upper bounds and per-bucket counts in ascending value order (negative buckets, zero bucket, positive
 * buckets, then an empty +Inf bucket), the shape `histogramQuantile` reads.
 */
export function exponentialToExplicit(h: ExponentialShape): { explicitBounds: number[]; bucketCounts: number[] } {
  const base = 2 ** (2 ** -h.scale);
  const explicitBounds: number[] = [];
  const bucketCounts: number[] = [];
  for (let i = h.negative.bucketCounts.length - 1; i >= 0; i--) {
    explicitBounds.push(-(base ** (h.negative.offset + i)));
    bucketCounts.push(h.negative.bucketCounts[i] as number);
  }
  explicitBounds.push(0);
  bucketCounts.push(h.zeroCount);
  // An empty gap bucket (0, base^offset] keeps interpolation inside the first positive bucket's own range.
  if (h.positive.bucketCounts.length > 0) {
    explicitBounds.push(base ** h.positive.offset);
    bucketCounts.push(0);
  }
  h.positive.bucketCounts.forEach((count, i) => {
    explicitBounds.push(base ** (h.positive.offset + i + 1));
    bucketCounts.push(count);
  });
  bucketCounts.push(0);
  return { explicitBounds, bucketCounts };
}
