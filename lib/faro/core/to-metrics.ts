// Faro measurements as OTLP metric points: each web vital as a one-observation delta histogram (so per-minute
// aggregates give p75 LCP and the like), any other measurement's values as gauges named `<type>.<key>`.
import type { OtlpMetric } from "../../telemetry/core/otlp/metric-types";
import type { KeyValue } from "../../telemetry/core/otlp/types";
import { keyValues, timestampNs, type BatchContext } from "./batch-context";
import type { FaroMeasurement } from "./payload";
import { WEB_VITALS, WEB_VITALS_MEASUREMENT, webVitalMetricName, webVitalOf } from "./web-vitals";

const DELTA = 1;

/** Bucket counts of one observation over explicit bounds (bucket i holds values ≤ bounds[i], the last the rest). */
export function oneObservationBuckets(bounds: readonly number[], value: number): number[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  const i = bounds.findIndex((b) => value <= b);
  counts[i === -1 ? bounds.length : i] = 1;
  return counts;
}

function metricName(type: string, key: string): string {
  const name = `${type}.${key}`.replace(/[^a-zA-Z0-9_:.\/-]/g, "_");
  return /^[a-zA-Z_:]/.test(name) ? name : `_${name}`;
}

// Only the page route and the rating: per-session or per-element labels would make a series per visit.
function pointAttributes(ctx: BatchContext, extra: Record<string, string>): KeyValue[] {
  return [...ctx.common.filter((kv) => kv.key === "page.route"), ...keyValues(extra)];
}

export function measurementToMetrics(ctx: BatchContext, m: FaroMeasurement): OtlpMetric[] {
  const timeUnixNano = timestampNs(m.timestamp);
  if (m.type === WEB_VITALS_MEASUREMENT) {
    const vital = webVitalOf(m.values, m.context);
    if (vital === null) return [];
    const spec = WEB_VITALS[vital.name];
    const point = {
      attributes: pointAttributes(ctx, { "web_vital.rating": vital.rating }),
      startTimeUnixNano: timeUnixNano,
      timeUnixNano,
      flags: 0,
      count: 1,
      sum: vital.value,
      min: vital.value,
      max: vital.value,
      explicitBounds: [...spec.bounds],
      bucketCounts: oneObservationBuckets(spec.bounds, vital.value),
    };
    return [{ name: webVitalMetricName(vital.name), description: `Web vital ${vital.name.toUpperCase()} as reported by the browser`, unit: spec.unit, data: { kind: "histogram", temporality: DELTA, dataPoints: [point] } }];
  }
  return Object.entries(m.values).map(([key, value]) => ({
    name: metricName(m.type, key),
    description: "",
    unit: "",
    data: { kind: "gauge", dataPoints: [{ attributes: pointAttributes(ctx, {}), startTimeUnixNano: 0n, timeUnixNano, flags: 0, value }] },
  }));
}
