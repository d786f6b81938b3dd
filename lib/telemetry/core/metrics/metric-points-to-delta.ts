// Rewrites a batch of metric rows so cumulative sums and histograms become delta rows, carrying the series state.
import { attributesHash } from "../otlp/attribute-key";
import { cumulativeStepToDelta, type CumulativeSeriesState, type CumulativeState, type CumulativeValue } from "./cumulative-to-delta";
import type { MetricPointRow } from "../otlp/metric-rows";

/**
 * A cumulative series is one instrument on one resource: the resource attributes are part of the key, so two
 * replicas of a service each keep their own counter and never look like resets of each other.
 */
export function cumulativeSeriesKey(row: MetricPointRow): string {
  return [row.name, row.kind, row.scopeName, attributesHash(row.resourceAttributes), attributesHash(row.attributes)].join("|");
}

function cumulativeValueOf(row: MetricPointRow): CumulativeValue | null {
  if (row.kind === "sum" && row.temporality === "cumulative") return { kind: "number", value: row.value, isMonotonic: row.isMonotonic };
  if (row.kind === "histogram" && row.temporality === "cumulative") {
    return { kind: "histogram", count: row.count, sum: row.sum, explicitBounds: row.explicitBounds, bucketCounts: row.bucketCounts };
  }
  if (row.kind === "exponential_histogram" && row.temporality === "cumulative") {
    const { count, sum, scale, zeroCount, positive, negative } = row;
    return { kind: "exponential_histogram", count, sum, scale, zeroCount, positive, negative };
  }
  return null;
}

function deltaRow(row: MetricPointRow, delta: CumulativeValue, startTimeUnixNano: bigint | null): MetricPointRow {
  if (row.kind === "sum" && delta.kind === "number") return { ...row, startTimeUnixNano, temporality: "delta", value: delta.value };
  if (row.kind === "histogram" && delta.kind === "histogram") {
    // min and max describe the whole cumulative window, not this delta, so they are dropped.
    return { ...row, startTimeUnixNano, temporality: "delta", count: delta.count, sum: delta.sum, bucketCounts: delta.bucketCounts, min: null, max: null };
  }
  if (row.kind === "exponential_histogram" && delta.kind === "exponential_histogram") {
    const { count, sum, scale, zeroCount, positive, negative } = delta;
    return { ...row, startTimeUnixNano, temporality: "delta", count, sum, scale, zeroCount, positive, negative, min: null, max: null };
  }
  return { ...row, startTimeUnixNano };
}

export interface PointsToDeltaResult {
  /** Gauges, summaries and delta rows as they came; cumulative rows replaced by their deltas. */
  points: MetricPointRow[];
  state: Map<string, CumulativeSeriesState>;
  /** Cumulative rows that produced no delta: first points of a series, and stale (out-of-order) points. */
  withheldPoints: number;
}

/** Copies the state once per batch; rows are processed in order, so sort by time first if the batch is mixed. */
export function metricPointsToDelta(state: CumulativeState, rows: readonly MetricPointRow[]): PointsToDeltaResult {
  const next = new Map(state);
  const points: MetricPointRow[] = [];
  let withheldPoints = 0;
  for (const row of rows) {
    const value = cumulativeValueOf(row);
    if (value === null) {
      points.push(row);
      continue;
    }
    const key = cumulativeSeriesKey(row);
    const step = cumulativeStepToDelta(next.get(key), { startTimeUnixNano: row.startTimeUnixNano, timeUnixNano: row.timeUnixNano, value });
    next.set(key, step.next);
    if (step.delta === null) withheldPoints++;
    else points.push(deltaRow(row, step.delta, step.deltaStartUnixNano));
  }
  return { points, state: next, withheldPoints };
}
