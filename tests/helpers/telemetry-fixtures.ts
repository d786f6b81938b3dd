// Decoded OTLP requests built by hand for telemetry storage tests: spans, metric points and logs whose stored
// values a reader can check against the literals here.
import type { OtlpMetric, OtlpMetricsRequest } from "../../lib/telemetry/core/otlp/metric-types";
import type { AttributeValue, KeyValue, OtlpLogsRequest, OtlpTraceRequest } from "../../lib/telemetry/core/otlp/types";

export const MS = 1_000_000n;
/** 2026-11-20T12:00:00Z in Unix nanoseconds. */
export const T0 = 1_795_176_000_000n * MS;

export type SpanSpec = {
  service: string; traceId: string; spanId: string; parentSpanId?: string; name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number; startNs: bigint; durationMs: number; error?: boolean; statusMessage?: string;
  attributes?: Record<string, AttributeValue>;
  events?: Array<{ timeUnixNano: bigint; name: string; attributes?: Record<string, AttributeValue> }>;
  links?: Array<{ traceId: string; spanId: string }>;
};

export function kv(attributes: Record<string, AttributeValue> = {}): KeyValue[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value }));
}

const scope = { name: "test", version: "1", attributes: [] };

export function traceRequest(specs: readonly SpanSpec[]): OtlpTraceRequest {
  const services = [...new Set(specs.map((s) => s.service))];
  return {
    resourceSpans: services.map((service) => ({
      resource: { attributes: kv({ "service.name": service }), droppedAttributesCount: 0 },
      schemaUrl: "",
      scopeSpans: [{
        scope, schemaUrl: "",
        spans: specs.filter((s) => s.service === service).map((s) => ({
          traceId: s.traceId, spanId: s.spanId, traceState: "", parentSpanId: s.parentSpanId ?? "", name: s.name, kind: s.kind,
          startTimeUnixNano: s.startNs, endTimeUnixNano: s.startNs + BigInt(Math.round(s.durationMs * 1e6)),
          attributes: kv(s.attributes), droppedAttributesCount: 0,
          events: (s.events ?? []).map((e) => ({ timeUnixNano: e.timeUnixNano, name: e.name, attributes: kv(e.attributes), droppedAttributesCount: 0 })), droppedEventsCount: 0,
          links: (s.links ?? []).map((l) => ({ ...l, traceState: "", attributes: [], droppedAttributesCount: 0 })), droppedLinksCount: 0,
          statusCode: s.error ? 2 : 0, statusMessage: s.statusMessage ?? "",
        })),
      }],
    })),
  };
}

export function metricsRequest(service: string, metrics: OtlpMetric[]): OtlpMetricsRequest {
  return { resourceMetrics: [{ resource: { attributes: kv({ "service.name": service }), droppedAttributesCount: 0 }, schemaUrl: "", scopeMetrics: [{ scope, schemaUrl: "", metrics }] }] };
}

export function gauge(name: string, points: Array<{ timeNs: bigint; value: number; attributes?: Record<string, AttributeValue> }>): OtlpMetric {
  return { name, description: "", unit: "1", data: { kind: "gauge", dataPoints: points.map((p) => ({ attributes: kv(p.attributes), startTimeUnixNano: 0n, timeUnixNano: p.timeNs, flags: 0, value: p.value })) } };
}

export function cumulativeSum(name: string, startNs: bigint, points: Array<{ timeNs: bigint; value: number }>): OtlpMetric {
  return {
    name, description: "", unit: "1",
    data: { kind: "sum", temporality: 2, isMonotonic: true, dataPoints: points.map((p) => ({ attributes: [], startTimeUnixNano: startNs, timeUnixNano: p.timeNs, flags: 0, value: p.value })) },
  };
}

export function logsRequest(service: string, records: Array<{ timeNs: bigint; body: string; traceId?: string; spanId?: string; attributes?: Record<string, AttributeValue> }>): OtlpLogsRequest {
  return {
    resourceLogs: [{
      resource: { attributes: kv({ "service.name": service }), droppedAttributesCount: 0 }, schemaUrl: "",
      scopeLogs: [{ scope, schemaUrl: "", logRecords: records.map((r) => ({ timeUnixNano: r.timeNs, observedTimeUnixNano: r.timeNs, severityNumber: 9, severityText: "", body: r.body, attributes: kv(r.attributes), droppedAttributesCount: 0, flags: 0, traceId: r.traceId ?? "", spanId: r.spanId ?? "" })) }],
    }],
  };
}

/** A fixed hex ID of the given length from a small number, e.g. hexId(32, 1) = "000…01". */
export function hexId(length: 16 | 32, n: number): string {
  return n.toString(16).padStart(length, "0");
}
