// Walks an ExportMetricsServiceRequest (protobufjs message or OTLP/JSON object) into `OtlpMetricsRequest`.
import type { FieldReader, Fields } from "./field-reader";
import type {
  OtlpExponentialBuckets,
  OtlpHistogramDataPoint,
  OtlpMetric,
  OtlpMetricData,
  OtlpMetricsRequest,
  OtlpNumberDataPoint,
  OtlpExponentialHistogramDataPoint,
  OtlpSummaryDataPoint,
} from "./metric-types";
import { readKeyValues, readResource, readScope } from "./decode-common";
import type { KeyValue } from "./types";

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

function readPointBase(r: FieldReader, p: Fields): { attributes: KeyValue[]; startTimeUnixNano: bigint; timeUnixNano: bigint; flags: number } {
  return {
    attributes: readKeyValues(r, p, "attributes"),
    startTimeUnixNano: r.unixNano(p, "startTimeUnixNano"),
    timeUnixNano: r.unixNano(p, "timeUnixNano"),
    flags: r.uint32(p, "flags"),
  };
}

function readNumberPoint(r: FieldReader, p: Fields): OtlpNumberDataPoint {
  // asInt past 2^53 is rounded: metric values are doubles downstream (as in Prometheus).
  const asInt = p.asInt != null ? Number(r.int64(p, "asInt")) : null;
  return { ...readPointBase(r, p), value: asInt ?? r.optionalDouble(p, "asDouble") };
}

function readHistogramPoint(r: FieldReader, p: Fields): OtlpHistogramDataPoint {
  return {
    ...readPointBase(r, p),
    count: r.count(p, "count"),
    sum: r.optionalDouble(p, "sum"),
    min: r.optionalDouble(p, "min"),
    max: r.optionalDouble(p, "max"),
    bucketCounts: r.counts(p, "bucketCounts"),
    explicitBounds: r.doubles(p, "explicitBounds"),
  };
}

function readBuckets(r: FieldReader, p: Fields, key: string): OtlpExponentialBuckets {
  return (
    r.message(p, key, (b) => ({ offset: r.integer(b, "offset", INT32_MIN, INT32_MAX), bucketCounts: r.counts(b, "bucketCounts") })) ?? {
      offset: 0,
      bucketCounts: [],
    }
  );
}

function readExponentialPoint(r: FieldReader, p: Fields): OtlpExponentialHistogramDataPoint {
  return {
    ...readPointBase(r, p),
    count: r.count(p, "count"),
    sum: r.optionalDouble(p, "sum"),
    min: r.optionalDouble(p, "min"),
    max: r.optionalDouble(p, "max"),
    scale: r.integer(p, "scale", INT32_MIN, INT32_MAX),
    zeroCount: r.count(p, "zeroCount"),
    zeroThreshold: r.double(p, "zeroThreshold"),
    positive: readBuckets(r, p, "positive"),
    negative: readBuckets(r, p, "negative"),
  };
}

function readSummaryPoint(r: FieldReader, p: Fields): OtlpSummaryDataPoint {
  return {
    ...readPointBase(r, p),
    count: r.count(p, "count"),
    sum: r.double(p, "sum"),
    quantileValues: r.list(p, "quantileValues", (q) => ({ quantile: r.double(q, "quantile"), value: r.double(q, "value") })),
  };
}

function readMetricData(r: FieldReader, m: Fields): OtlpMetricData {
  const temporality = (d: Fields): number => r.integer(d, "aggregationTemporality", 0, INT32_MAX);
  const data =
    r.message(m, "gauge", (d): OtlpMetricData => ({ kind: "gauge", dataPoints: r.list(d, "dataPoints", (p) => readNumberPoint(r, p)) })) ??
    r.message(m, "sum", (d): OtlpMetricData => ({
      kind: "sum",
      temporality: temporality(d),
      isMonotonic: r.bool(d, "isMonotonic"),
      dataPoints: r.list(d, "dataPoints", (p) => readNumberPoint(r, p)),
    })) ??
    r.message(m, "histogram", (d): OtlpMetricData => ({
      kind: "histogram",
      temporality: temporality(d),
      dataPoints: r.list(d, "dataPoints", (p) => readHistogramPoint(r, p)),
    })) ??
    r.message(m, "exponentialHistogram", (d): OtlpMetricData => ({
      kind: "exponential_histogram",
      temporality: temporality(d),
      dataPoints: r.list(d, "dataPoints", (p) => readExponentialPoint(r, p)),
    })) ??
    r.message(m, "summary", (d): OtlpMetricData => ({ kind: "summary", dataPoints: r.list(d, "dataPoints", (p) => readSummaryPoint(r, p)) }));
  return data ?? { kind: "empty" };
}

function readMetric(r: FieldReader, m: Fields): OtlpMetric {
  return { name: r.string(m, "name"), description: r.string(m, "description"), unit: r.string(m, "unit"), data: readMetricData(r, m) };
}

export function readMetricsRequest(r: FieldReader, root: Fields): OtlpMetricsRequest {
  return {
    resourceMetrics: r.list(root, "resourceMetrics", (rm) => ({
      resource: readResource(r, rm),
      schemaUrl: r.string(rm, "schemaUrl"),
      scopeMetrics: r.list(rm, "scopeMetrics", (sm) => ({
        scope: readScope(r, sm),
        schemaUrl: r.string(sm, "schemaUrl"),
        metrics: r.list(sm, "metrics", (m) => readMetric(r, m)),
      })),
    })),
  };
}
