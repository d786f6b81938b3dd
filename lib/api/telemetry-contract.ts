// API operations for reading telemetry: services with RED, one service's series, one trace, metric aggregates.
import { z } from "zod";
import { nonEmptyText, TimeParam } from "./fields";
import type { Operation } from "./contract-types";

const Range = { from: TimeParam.optional(), to: TimeParam.optional() };
const Nanos = z.string().regex(/^\d+$/);
const Json = z.record(z.string(), z.unknown());
const nullableNumber = z.number().nullable();

const Red = { requestRatePerS: z.number(), errorRatio: nullableNumber, p50Ms: nullableNumber, p95Ms: nullableNumber, p99Ms: nullableNumber };
export const ServiceSummaryView = z.object({ name: z.string(), basis: z.enum(["entry", "all"]), spanCount: z.number(), lastSeen: z.string().nullable(), ...Red }).strict();
const RangeView = z.object({ from: z.string(), to: z.string() }).strict();
export const ServicePointView = z.object({ at: z.string(), requestRatePerS: nullableNumber, errorRatio: nullableNumber, p50Ms: nullableNumber, p95Ms: nullableNumber, p99Ms: nullableNumber }).strict();

const EventView = z.object({ timeUnixNano: Nanos, name: z.string(), attributes: Json, droppedAttributesCount: z.number() }).strict();
const LinkView = z.object({ traceId: z.string(), spanId: z.string(), traceState: z.string(), attributes: Json, droppedAttributesCount: z.number() }).strict();
export const SpanView = z
  .object({
    traceId: z.string(), spanId: z.string(), parentSpanId: z.string().nullable(), traceState: z.string(), service: z.string(), serviceVersion: z.string().nullable(),
    scopeName: z.string(), name: z.string(), kind: z.string(), statusCode: z.string(), statusMessage: z.string(),
    startTimeUnixNano: Nanos, endTimeUnixNano: Nanos, durationNs: Nanos, jobId: z.string().nullable(), jobAttempt: z.number().nullable(),
    attributes: Json, resource: Json, events: z.array(EventView), links: z.array(LinkView),
    droppedAttributesCount: z.number(), droppedEventsCount: z.number(), droppedLinksCount: z.number(),
    truncatedValuesCount: z.number().describe("attribute values whose strings were cut to OTLP_ATTRIBUTE_VALUE_LENGTH_LIMIT"),
  })
  .strict();
const LogView = z.object({ timeUnixNano: Nanos, service: z.string(), severityText: z.string(), severityNumber: z.number(), body: z.unknown(), spanId: z.string().nullable(), attributes: Json }).strict();
export const TraceView = z.object({ traceId: z.string(), startTimeUnixNano: Nanos, durationNs: Nanos, services: z.array(z.string()), spans: z.array(SpanView), logs: z.array(LogView) }).strict();

const MetricPointView = z
  .object({
    at: z.string(), kind: z.string(), count: nullableNumber, sum: nullableNumber, min: nullableNumber, max: nullableNumber, avg: nullableNumber, last: nullableNumber,
    deltaTotal: nullableNumber, ratePerS: nullableNumber, p50: nullableNumber, p95: nullableNumber, p99: nullableNumber, seriesCount: z.number(),
  })
  .strict();

export const telemetryApi = {
  listServices: {
    method: "GET", path: "/api/v1/services", summary: "Every service that sent spans, with request rate, error ratio and p50/p95/p99 over a range (default: the last hour)", scope: "read",
    query: z.object(Range), response: z.object({ range: RangeView, services: z.array(ServiceSummaryView) }).strict(),
  },
  getService: {
    method: "GET", path: "/api/v1/services/{name}", summary: "One service's RED summary and per-minute series (gaps are null)", scope: "read",
    query: z.object({ name: nonEmptyText(), ...Range }),
    response: z.object({ range: RangeView, service: ServiceSummaryView, basis: z.enum(["entry", "all"]), stepMinutes: z.number().int(), series: z.array(ServicePointView) }).strict(),
  },
  getTrace: {
    method: "GET", path: "/api/v1/traces/{traceId}", summary: "One trace's spans (IDs hex, times and durations in nanoseconds as strings) and logs", scope: "read",
    query: z.object({ traceId: nonEmptyText(64) }), response: z.object({ trace: TraceView }).strict(),
  },
  metricSeries: {
    method: "GET", path: "/api/v1/metrics", summary: "One metric's per-minute aggregates, merged across attribute sets (and services unless one is named)", scope: "read",
    query: z.object({ name: nonEmptyText(), service: nonEmptyText().optional(), ...Range }),
    response: z.object({ name: z.string(), service: z.string().nullable(), unit: z.string(), range: RangeView, points: z.array(MetricPointView) }).strict(),
  },
} satisfies Record<string, Operation>;
