import { describe, expect, it } from "vitest";
import { histogramQuantile } from "./histogram-quantile";

describe("histogramQuantile", () => {
  // Bounds [1, 2, 4] mean buckets (-inf..1], (1..2], (2..4], (4..+Inf); the first bucket starts at 0.
  it.each([
    ["median: rank 10 is the top of (0..1]", [1, 2, 4], [10, 10, 0, 0], 0.5, 1],
    ["q=0.75: rank 15, 5 of 10 into (1..2]", [1, 2, 4], [10, 10, 0, 0], 0.75, 1.5],
    ["q=0.25: rank 5, half of (0..1]", [1, 2, 4], [10, 10, 0, 0], 0.25, 0.5],
    ["p90 of 100 in (100..200]", [100, 200, 400], [50, 40, 10, 0], 0.9, 200],
    ["p95: rank 95, 5 of 10 into (200..400]", [100, 200, 400], [50, 40, 10, 0], 0.95, 300],
    ["p99 in the +Inf bucket gives the largest bound", [100, 200, 400], [50, 40, 5, 5], 0.99, 400],
    ["q=0 gives the lower edge of the first non-empty bucket", [1, 2, 4], [0, 4, 4, 0], 0, 1],
    ["q=1 gives the top of the last non-empty finite bucket", [1, 2, 4], [0, 4, 4, 0], 1, 4],
    ["a non-positive first bound is returned as is", [-1, 0, 1], [4, 0, 0, 0], 0.5, -1],
    ["negative buckets interpolate between bounds", [-4, -2, 0], [0, 10, 0, 0], 0.5, -3],
  ])("%s", (_case, bounds, counts, q, expected) => {
    expect(histogramQuantile(bounds, counts, q)).toBeCloseTo(expected, 12);
  });

  it.each([
    ["no observations", [1, 2], [0, 0, 0], 0.5, null],
    ["mismatched shapes", [1, 2], [1, 1], 0.5, null],
    ["NaN q", [1, 2], [1, 1, 1], Number.NaN, null],
    ["q below 0", [1, 2], [1, 1, 1], -0.1, Number.NEGATIVE_INFINITY],
    ["q above 1", [1, 2], [1, 1, 1], 1.1, Number.POSITIVE_INFINITY],
    ["only the +Inf bucket", [], [5], 0.5, null],
  ])("%s", (_case, bounds, counts, q, expected) => {
    expect(histogramQuantile(bounds, counts, q)).toBe(expected);
  });
});
