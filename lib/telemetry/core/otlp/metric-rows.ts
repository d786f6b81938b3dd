// The flat metric point rows the normaliser emits and the aggregator and writers read.
//
// Exponential histograms keep their native scale / zero bucket / offset buckets: that is lossless, merges
// exactly by downscaling (`exponential-histogram.ts`), and explicit bounds are derived only when a quantile is asked.
import type { Attributes } from "./attributes";
import type { ExplicitBuckets, ExponentialBuckets, HistogramStats } from "./metric-types";

export type MetricTemporality = "delta" | "cumulative";

export interface MetricPointBase {
  name: string;
  unit: string;
  description: string;
  serviceName: string;
  scopeName: string;
  resourceAttributes: Attributes;
  attributes: Attributes;
  droppedAttributesCount: number;
  /** Null when the sender left it unset (gauges usually do). */
  startTimeUnixNano: bigint | null;
  timeUnixNano: bigint;
}

export interface GaugePointRow extends MetricPointBase {
  kind: "gauge";
  value: number;
}

export interface SumPointRow extends MetricPointBase {
  kind: "sum";
  temporality: MetricTemporality;
  isMonotonic: boolean;
  value: number;
}

export interface HistogramPointRow extends MetricPointBase, HistogramStats, ExplicitBuckets {
  kind: "histogram";
  temporality: MetricTemporality;
}

export interface ExponentialHistogramPointRow extends MetricPointBase, HistogramStats, ExponentialBuckets {
  kind: "exponential_histogram";
  temporality: MetricTemporality;
}

export interface SummaryPointRow extends MetricPointBase {
  kind: "summary";
  count: number;
  sum: number;
  quantiles: Array<{ quantile: number; value: number }>;
}

export type MetricPointRow = GaugePointRow | SumPointRow | HistogramPointRow | ExponentialHistogramPointRow | SummaryPointRow;
export type MetricKind = MetricPointRow["kind"];
