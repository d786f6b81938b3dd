// Turns a decoded metrics request into validated `MetricPointRow`s, counting rejected points for partial success.
import { DEFAULT_ATTRIBUTE_COUNT_LIMIT, keyValuesToAttributes, serviceNameOf, type Attributes } from "./attributes";
import type { MetricPointBase, MetricPointRow, MetricTemporality } from "./metric-rows";
import type { OtlpHistogramDataPoint, OtlpMetric, OtlpMetricData, OtlpMetricsRequest } from "./metric-types";
import { timestampProblem, type TimeBounds } from "./time-bounds";
import type { KeyValue } from "./types";

const NO_RECORDED_VALUE_FLAG = 1;

export interface NormaliseMetricsOptions extends TimeBounds {
  attributeCountLimit?: number;
}

export interface NormaliseMetricsResult {
  points: MetricPointRow[];
  rejectedDataPoints: number;
  /** The first rejection, for ExportMetricsPartialSuccess.error_message. */
  errorMessage: string | null;
}

interface PointInput {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  flags: number;
}

function temporalityOf(value: number): MetricTemporality | null {
  return value === 1 ? "delta" : value === 2 ? "cumulative" : null;
}

function histogramProblem(p: OtlpHistogramDataPoint): string | null {
  if (p.bucketCounts.length === 0 && p.explicitBounds.length === 0) return null;
  if (p.bucketCounts.length !== p.explicitBounds.length + 1) {
    return `bucketCounts: expected ${p.explicitBounds.length + 1} counts for ${p.explicitBounds.length} bounds, got ${p.bucketCounts.length}`;
  }
  for (let i = 0; i < p.explicitBounds.length; i++) {
    const bound = p.explicitBounds[i] as number;
    if (!Number.isFinite(bound) || (i > 0 && bound <= (p.explicitBounds[i - 1] as number))) return "explicitBounds: expected finite, strictly increasing bounds";
  }
  const total = p.bucketCounts.reduce((a, b) => a + b, 0);
  return total === p.count ? null : `count: ${p.count} differs from the bucket total ${total}`;
}

type RowOrReason = { ok: true; row: MetricPointRow } | { ok: false; reason: string };
type PointBuilder = [PointInput, (base: MetricPointBase) => RowOrReason];

function numberRow(value: number | null, toRow: (value: number) => MetricPointRow): RowOrReason {
  if (value === null) return { ok: false, reason: "value: neither asInt nor asDouble is set" };
  if (!Number.isFinite(value)) return { ok: false, reason: `value: ${value} is not finite` };
  return { ok: true, row: toRow(value) };
}

/** Pairs each data point with the builder of its kind's row, so the shared checks run once for every kind. */
function pointBuilders(data: OtlpMetricData): PointBuilder[] | string {
  if (data.kind === "empty") return [];
  const temporality = "temporality" in data ? temporalityOf(data.temporality) : null;
  if ("temporality" in data && temporality === null) return "aggregationTemporality: unspecified";
  const t = temporality as MetricTemporality;
  switch (data.kind) {
    case "gauge":
      return data.dataPoints.map((p) => [p, (base) => numberRow(p.value, (value) => ({ ...base, kind: "gauge", value }))]);
    case "sum":
      return data.dataPoints.map((p) => [
        p,
        (base) => numberRow(p.value, (value) => ({ ...base, kind: "sum", temporality: t, isMonotonic: data.isMonotonic, value })),
      ]);
    case "histogram":
      return data.dataPoints.map((p) => [
        p,
        (base) => {
          const problem = histogramProblem(p);
          if (problem !== null) return { ok: false, reason: problem };
          const { count, sum, min, max, explicitBounds, bucketCounts } = p;
          return { ok: true, row: { ...base, kind: "histogram", temporality: t, count, sum, min, max, explicitBounds, bucketCounts } };
        },
      ]);
    case "exponential_histogram":
      return data.dataPoints.map((p) => [
        p,
        (base) => {
          if (p.scale < -10 || p.scale > 20) return { ok: false, reason: `scale: ${p.scale} is outside [-10, 20]` };
          const { count, sum, min, max, scale, zeroCount, zeroThreshold, positive, negative } = p;
          const row = { ...base, kind: "exponential_histogram" as const, temporality: t };
          return { ok: true, row: { ...row, count, sum, min, max, scale, zeroCount, zeroThreshold, positive, negative } };
        },
      ]);
    case "summary":
      return data.dataPoints.map((p) => [p, (base) => ({ ok: true, row: { ...base, kind: "summary", count: p.count, sum: p.sum, quantiles: p.quantileValues } })]);
  }
}

/** The checks every kind shares; null means a staleness marker (skipped, not rejected). */
function pointBase(metric: OtlpMetric, point: PointInput, context: MetricContext, options: NormaliseMetricsOptions): MetricPointBase | string | null {
  if ((point.flags & NO_RECORDED_VALUE_FLAG) !== 0) return null;
  if (metric.name === "") return "name: empty metric name";
  const timeProblem = timestampProblem(point.timeUnixNano, options);
  if (timeProblem !== null) return `timeUnixNano: ${timeProblem}`;
  if (point.startTimeUnixNano > point.timeUnixNano) return "startTimeUnixNano: after timeUnixNano";
  const { attributes, droppedCount } = keyValuesToAttributes(point.attributes, options.attributeCountLimit ?? DEFAULT_ATTRIBUTE_COUNT_LIMIT);
  return {
    name: metric.name,
    unit: metric.unit,
    description: metric.description,
    ...context,
    attributes,
    droppedAttributesCount: droppedCount,
    startTimeUnixNano: point.startTimeUnixNano === 0n ? null : point.startTimeUnixNano,
    timeUnixNano: point.timeUnixNano,
  };
}

interface MetricContext {
  serviceName: string;
  scopeName: string;
  resourceAttributes: Attributes;
}

export function normaliseMetrics(request: OtlpMetricsRequest, options: NormaliseMetricsOptions): NormaliseMetricsResult {
  const points: MetricPointRow[] = [];
  let rejectedDataPoints = 0;
  let errorMessage: string | null = null;
  const limit = options.attributeCountLimit ?? DEFAULT_ATTRIBUTE_COUNT_LIMIT;
  request.resourceMetrics.forEach((rm, ri) => {
    const resourceAttributes = keyValuesToAttributes(rm.resource.attributes, limit).attributes;
    const serviceName = serviceNameOf(resourceAttributes);
    rm.scopeMetrics.forEach((sm, si) => {
      const context: MetricContext = { serviceName, scopeName: sm.scope.name, resourceAttributes };
      sm.metrics.forEach((metric, mi) => {
        const reject = (reason: string, at: string): void => {
          rejectedDataPoints++;
          errorMessage ??= `resourceMetrics[${ri}].scopeMetrics[${si}].metrics[${mi}] (${metric.name})${at}.${reason}`;
        };
        const builders = pointBuilders(metric.data);
        if (typeof builders === "string") {
          for (let pi = 0; pi < (metric.data.kind === "empty" ? 0 : metric.data.dataPoints.length); pi++) reject(builders, `.dataPoints[${pi}]`);
          return;
        }
        builders.forEach(([point, toRow], pi) => {
          const base = pointBase(metric, point, context, options);
          if (base === null) return;
          const result = typeof base === "string" ? { ok: false as const, reason: base } : toRow(base);
          if (result.ok) points.push(result.row);
          else reject(result.reason, `.dataPoints[${pi}]`);
        });
      });
    });
  });
  return { points, rejectedDataPoints, errorMessage };
}
