import { describe, expect, it } from "vitest";
import { attributesHash } from "../otlp/attribute-key";
import { exponentialToExplicit } from "./exponential-histogram";
import { histogramQuantile } from "./histogram-quantile";
import { metricPointsToDelta } from "./metric-points-to-delta";
import type { ExponentialHistogramPointRow, GaugePointRow, HistogramPointRow, MetricPointRow, SumPointRow } from "../otlp/metric-rows";
import { aggregateMinutes, mergeMinuteAggregates, rowToMinuteAggregate } from "./minute-aggregate";

const MINUTE = 60_000_000_000n;
const T0 = 1_763_884_800_000_000_000n; // a whole minute
const common = { unit: "", description: "", serviceName: "api", scopeName: "s", resourceAttributes: {}, droppedAttributesCount: 0, startTimeUnixNano: null };

const gauge = (value: number, offsetNs: bigint, attributes = { queue: "jobs" }): GaugePointRow => ({ ...common, name: "queue.depth", kind: "gauge", attributes, timeUnixNano: T0 + offsetNs, value });
const sum = (value: number, offsetNs: bigint, temporality: "delta" | "cumulative" = "delta", instance = "a"): SumPointRow => ({
  ...common, resourceAttributes: { "service.instance.id": instance }, name: "jobs.done", kind: "sum", temporality, isMonotonic: true, attributes: {}, timeUnixNano: T0 + offsetNs, value,
});
const hist = (bucketCounts: number[], offsetNs: bigint, explicitBounds = [0.1, 0.5]): HistogramPointRow => ({
  ...common, name: "latency", kind: "histogram", temporality: "delta", attributes: {}, timeUnixNano: T0 + offsetNs,
  count: bucketCounts.reduce((a, b) => a + b, 0), sum: 1, min: 0.05, max: 0.7, explicitBounds, bucketCounts,
});

describe("aggregateMinutes", () => {
  it("gauges: last / min / max / avg per minute and attribute set (attribute order does not matter)", () => {
    const rows = [gauge(10, 1n), gauge(40, 30n * 1_000_000_000n), gauge(20, 59n * 1_000_000_000n), gauge(7, MINUTE), gauge(1, 5n, { queue: "dlq" })];
    const { aggregates } = aggregateMinutes(rows);
    expect(aggregates.map((a) => (a.kind === "gauge" ? [a.minuteStartUnixMs, a.attributes.queue, a.last, a.min, a.max, a.avg, a.count] : null))).toEqual([
      [1_763_884_800_000, "jobs", 20, 10, 40, (10 + 40 + 20) / 3, 3],
      [1_763_884_860_000, "jobs", 7, 7, 7, 7, 1],
      [1_763_884_800_000, "dlq", 1, 1, 1, 1, 1],
    ]);
    expect(attributesHash({ a: 1, b: { y: 2, x: 1 } })).toBe(attributesHash({ b: { x: 1, y: 2 }, a: 1 }));
  });

  it("sums: the delta total; cumulative rows are skipped until converted", () => {
    const { aggregates, skippedPoints } = aggregateMinutes([sum(3, 1n), sum(4, 2n), sum(100, 3n, "cumulative")]);
    expect(aggregates.map((a) => (a.kind === "sum" ? a.deltaTotal : null))).toEqual([7]);
    expect(skippedPoints).toBe(1);
  });

  it("cumulative counters of two replicas become per-replica deltas, then one total", () => {
    const rows = [sum(100, 1n, "cumulative", "a"), sum(50, 2n, "cumulative", "b"), sum(130, 10n, "cumulative", "a"), sum(55, 11n, "cumulative", "b")];
    const delta = metricPointsToDelta(new Map(), rows);
    expect([delta.withheldPoints, delta.points.map((p) => (p.kind === "sum" ? p.value : null))]).toEqual([2, [30, 5]]);
    expect(aggregateMinutes(delta.points).aggregates.map((a) => (a.kind === "sum" ? a.deltaTotal : null))).toEqual([35]);
  });

  it("histograms: counts and buckets add; min / max combine; p50 is hand-checkable", () => {
    const { aggregates } = aggregateMinutes([hist([1, 3, 0], 1n), hist([1, 1, 2], 2n)]);
    const [h] = aggregates;
    if (h?.kind !== "histogram") throw new Error("expected a histogram");
    expect([h.count, h.sum, h.min, h.max, h.bucketCounts]).toEqual([8, 2, 0.05, 0.7, [2, 4, 2]]);
    // rank 4 of 8: 2 in (0..0.1], then 2 of the 4 in (0.1..0.5] → 0.1 + 0.4 · 2/4 = 0.3
    expect(histogramQuantile(h.explicitBounds, h.bucketCounts, 0.5)).toBeCloseTo(0.3, 12);
  });

  it("histograms with other bounds in the same minute are skipped, not mixed", () => {
    expect(aggregateMinutes([hist([1, 1, 0], 1n), hist([1, 1], 2n, [0.2])]).skippedPoints).toBe(1);
  });

  it("exponential histograms merge at the smaller scale", () => {
    const exp = (scale: number, counts: number[]): ExponentialHistogramPointRow => ({
      ...common, name: "d", kind: "exponential_histogram", temporality: "delta", attributes: {}, timeUnixNano: T0,
      count: counts.reduce((a, b) => a + b, 0), sum: null, min: null, max: null, scale, zeroCount: 0, zeroThreshold: 0,
      positive: { offset: 0, bucketCounts: counts }, negative: { offset: 0, bucketCounts: [] },
    });
    // Scale 1 buckets 0..3 = (1, √2], (√2, 2], (2, 2√2], (2√2, 4]; at scale 0 they pair into (1, 2] and (2, 4].
    const a = rowToMinuteAggregate(exp(1, [1, 2, 3, 4]));
    const b = rowToMinuteAggregate(exp(0, [5, 0]));
    const merged = a && b ? mergeMinuteAggregates(a, b) : null;
    if (merged?.kind !== "exponential_histogram") throw new Error("expected an exponential histogram");
    expect([merged.scale, merged.count, merged.positive]).toEqual([0, 15, { offset: 0, bucketCounts: [8, 7] }]);
    expect(exponentialToExplicit(merged)).toEqual({ explicitBounds: [0, 1, 2, 4], bucketCounts: [0, 0, 8, 7, 0] });
    // p50: rank 7.5 of 15 lies in (1, 2]: 1 + 1 · 7.5/8
    const explicit = exponentialToExplicit(merged);
    expect(histogramQuantile(explicit.explicitBounds, explicit.bucketCounts, 0.5)).toBeCloseTo(1.9375, 12);
  });

  it("merging is order-independent for gauges", () => {
    const rows: MetricPointRow[] = [gauge(5, 10n), gauge(9, 10n), gauge(1, 3n)];
    const forward = aggregateMinutes(rows).aggregates;
    const backward = aggregateMinutes([...rows].reverse()).aggregates;
    expect(forward).toEqual(backward);
  });
});
