import { describe, expect, it } from "vitest";
import { DURATION_BOUNDS_NS, DURATION_BUCKET_COUNT, durationBucketIndex, durationQuantileMs, emptyDurationBuckets } from "./duration-buckets";

describe("duration buckets", () => {
  it("grow by 2^(1/4) from 10 µs to past one hour", () => {
    expect(DURATION_BOUNDS_NS[0]).toBe(10_000);
    expect(DURATION_BOUNDS_NS[4]).toBe(20_000);
    expect(DURATION_BOUNDS_NS[40]).toBe(10_240_000);
    expect(DURATION_BOUNDS_NS.at(-1)).toBeGreaterThanOrEqual(3_600e9);
    expect(DURATION_BUCKET_COUNT).toBe(DURATION_BOUNDS_NS.length + 1);
  });

  it.each([
    [0, 0],
    [10_000, 0], // bounds are inclusive, as in OTLP
    [10_001, 1],
    [20_000, 4],
    [20_001, 5],
    [10_240_000, 40],
    [1e15, DURATION_BOUNDS_NS.length], // the +Inf bucket
  ])("puts %d ns in bucket %d", (ns, index) => {
    expect(durationBucketIndex(ns)).toBe(index);
  });

  it("agrees with a linear scan for every bound and its neighbours", () => {
    const scan = (ns: number) => {
      const i = DURATION_BOUNDS_NS.findIndex((b) => ns <= b);
      return i === -1 ? DURATION_BOUNDS_NS.length : i;
    };
    for (const b of DURATION_BOUNDS_NS) for (const ns of [b - 1, b, b + 1]) expect(durationBucketIndex(ns)).toBe(scan(ns));
  });

  it("interpolates quantiles inside a bucket, and gives null without observations", () => {
    const buckets = emptyDurationBuckets();
    buckets[4] = 2; // (17 818, 20 000] ns
    expect(durationQuantileMs(buckets, 0.5)).toBeCloseTo((DURATION_BOUNDS_NS[3]! + (20_000 - DURATION_BOUNDS_NS[3]!) * 0.5) / 1e6, 12);
    expect(durationQuantileMs(emptyDurationBuckets(), 0.5)).toBeNull();
    expect(durationQuantileMs([1, 2], 0.5)).toBeNull();
  });
});
