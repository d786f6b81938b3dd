// Folds delta metric rows into per-minute aggregates keyed by (metric name, service, attribute set hash).
//
// Cumulative rows must go through `metricPointsToDelta` first; summaries cannot be merged (their quantiles do
// not add up) and are skipped, as are histograms whose bounds differ from the minute's first bounds.
import { attributesHash } from "../otlp/attribute-key";
import type { Attributes } from "../otlp/attributes";
import { combineExponential, type ExponentialShape } from "./exponential-histogram";
import type { MetricPointRow } from "../otlp/metric-rows";

const MINUTE_NS = 60_000_000_000n;

export interface MinuteAggregateKey {
  minuteStartUnixMs: number;
  metricName: string;
  serviceName: string;
  attributesHash: string;
  attributes: Attributes;
  unit: string;
}

export interface GaugeMinute extends MinuteAggregateKey {
  kind: "gauge";
  count: number;
  sum: number;
  min: number;
  max: number;
  avg: number;
  last: number;
  lastTimeUnixNano: bigint;
}

export interface SumMinute extends MinuteAggregateKey {
  kind: "sum";
  deltaTotal: number;
}

export interface HistogramMinute extends MinuteAggregateKey {
  kind: "histogram";
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  explicitBounds: number[];
  bucketCounts: number[];
}

export interface ExponentialHistogramMinute extends MinuteAggregateKey, ExponentialShape {
  kind: "exponential_histogram";
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  zeroThreshold: number;
}

export type MinuteAggregate = GaugeMinute | SumMinute | HistogramMinute | ExponentialHistogramMinute;

export function minuteAggregateKeyText(key: Omit<MinuteAggregateKey, "attributes" | "unit">): string {
  return `${key.minuteStartUnixMs}|${key.metricName}|${key.serviceName}|${key.attributesHash}`;
}

/** The one-point aggregate of a row, or null for rows that cannot be aggregated (cumulative, summary). */
export function rowToMinuteAggregate(row: MetricPointRow): MinuteAggregate | null {
  const key: MinuteAggregateKey = {
    minuteStartUnixMs: Number(row.timeUnixNano / MINUTE_NS) * 60_000,
    metricName: row.name,
    serviceName: row.serviceName,
    attributesHash: attributesHash(row.attributes),
    attributes: row.attributes,
    unit: row.unit,
  };
  if (row.kind === "gauge") {
    const v = row.value;
    return { ...key, kind: "gauge", count: 1, sum: v, min: v, max: v, avg: v, last: v, lastTimeUnixNano: row.timeUnixNano };
  }
  if (row.kind === "summary" || row.temporality !== "delta") return null;
  if (row.kind === "sum") return { ...key, kind: "sum", deltaTotal: row.value };
  const { count, sum, min, max } = row;
  if (row.kind === "histogram") return { ...key, kind: "histogram", count, sum, min, max, explicitBounds: row.explicitBounds, bucketCounts: row.bucketCounts };
  const { scale, zeroCount, zeroThreshold, positive, negative } = row;
  return { ...key, kind: "exponential_histogram", count, sum, min, max, scale, zeroCount, zeroThreshold, positive, negative };
}

function pick(a: number | null, b: number | null, choose: (x: number, y: number) => number): number | null {
  return a === null ? b : b === null ? a : choose(a, b);
}

function addNullable(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

/** Merges two aggregates of the same key; null when they cannot merge (different kinds or histogram bounds). */
export function mergeMinuteAggregates(a: MinuteAggregate, b: MinuteAggregate): MinuteAggregate | null {
  if (a.kind === "gauge" && b.kind === "gauge") {
    const count = a.count + b.count;
    const sum = a.sum + b.sum;
    // Ties on time keep the larger value so the merge does not depend on arrival order.
    const later = b.lastTimeUnixNano > a.lastTimeUnixNano || (b.lastTimeUnixNano === a.lastTimeUnixNano && b.last > a.last) ? b : a;
    return { ...a, count, sum, avg: sum / count, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max), last: later.last, lastTimeUnixNano: later.lastTimeUnixNano };
  }
  if (a.kind === "sum" && b.kind === "sum") return { ...a, deltaTotal: a.deltaTotal + b.deltaTotal };
  if (a.kind === "histogram" && b.kind === "histogram") {
    const sameBounds = a.explicitBounds.length === b.explicitBounds.length && a.explicitBounds.every((x, i) => x === b.explicitBounds[i]);
    if (!sameBounds || a.bucketCounts.length !== b.bucketCounts.length) return null;
    return {
      ...a,
      count: a.count + b.count,
      sum: addNullable(a.sum, b.sum),
      min: pick(a.min, b.min, Math.min),
      max: pick(a.max, b.max, Math.max),
      bucketCounts: a.bucketCounts.map((c, i) => c + (b.bucketCounts[i] as number)),
    };
  }
  if (a.kind === "exponential_histogram" && b.kind === "exponential_histogram") {
    return {
      ...combineExponential(a, b, 1),
      count: a.count + b.count,
      sum: addNullable(a.sum, b.sum),
      min: pick(a.min, b.min, Math.min),
      max: pick(a.max, b.max, Math.max),
      zeroThreshold: Math.max(a.zeroThreshold, b.zeroThreshold),
    };
  }
  return null;
}

/** Aggregates rows per minute; `skippedPoints` counts rows that could not be aggregated. */
export function aggregateMinutes(rows: readonly MetricPointRow[]): { aggregates: MinuteAggregate[]; skippedPoints: number } {
  const byKey = new Map<string, MinuteAggregate>();
  let skippedPoints = 0;
  for (const row of rows) {
    const single = rowToMinuteAggregate(row);
    if (single === null) {
      skippedPoints++;
      continue;
    }
    const key = minuteAggregateKeyText(single);
    const existing = byKey.get(key);
    const merged = existing === undefined ? single : mergeMinuteAggregates(existing, single);
    if (merged === null) skippedPoints++;
    else byKey.set(key, merged);
  }
  return { aggregates: [...byKey.values()], skippedPoints };
}
