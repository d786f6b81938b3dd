// The decoded OTLP metric messages in the encoding-independent shape (the metric half of `types.ts`).
import type { KeyValue, OtlpResource, OtlpScope } from "./types";

interface OtlpPointBase {
  attributes: KeyValue[];
  /** 0n when the sender left it unset. */
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  flags: number;
}

export interface OtlpNumberDataPoint extends OtlpPointBase {
  /** asInt or asDouble as a JS number; null when the point carries neither. */
  value: number | null;
}

/** The fields every histogram shares, as decoded and as normalised rows carry them. */
export interface HistogramStats {
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
}

/** Explicit-bucket histogram buckets: upper bounds, and one more count than bounds (the +Inf bucket), or both empty. */
export interface ExplicitBuckets {
  explicitBounds: number[];
  bucketCounts: number[];
}

/** Exponential histogram buckets in their native form: lossless, merged by downscaling. */
export interface ExponentialBuckets {
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: OtlpExponentialBuckets;
  negative: OtlpExponentialBuckets;
}

export interface OtlpHistogramDataPoint extends OtlpPointBase, HistogramStats, ExplicitBuckets {}

export interface OtlpExponentialBuckets {
  offset: number;
  bucketCounts: number[];
}

export interface OtlpExponentialHistogramDataPoint extends OtlpPointBase, HistogramStats, ExponentialBuckets {}

export interface OtlpSummaryDataPoint extends OtlpPointBase {
  count: number;
  sum: number;
  quantileValues: Array<{ quantile: number; value: number }>;
}

/** Which of Metric's `data` oneof arrived; `temporality` is the raw AggregationTemporality enum (1 delta, 2 cumulative). */
export type OtlpMetricData =
  | { kind: "gauge"; dataPoints: OtlpNumberDataPoint[] }
  | { kind: "sum"; temporality: number; isMonotonic: boolean; dataPoints: OtlpNumberDataPoint[] }
  | { kind: "histogram"; temporality: number; dataPoints: OtlpHistogramDataPoint[] }
  | { kind: "exponential_histogram"; temporality: number; dataPoints: OtlpExponentialHistogramDataPoint[] }
  | { kind: "summary"; dataPoints: OtlpSummaryDataPoint[] }
  | { kind: "empty" };

export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  data: OtlpMetricData;
}

export interface OtlpMetricsRequest {
  resourceMetrics: Array<{
    resource: OtlpResource;
    schemaUrl: string;
    scopeMetrics: Array<{ scope: OtlpScope; schemaUrl: string; metrics: OtlpMetric[] }>;
  }>;
}
