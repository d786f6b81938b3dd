// API operations for reading telemetry: services with RED, one service's series, the service map, one trace, metric aggregates.
import { z } from "zod";
import { SpanView, TraceView } from "../../telemetry/core/views/trace-view";
import { MetricOverviewView, ServiceDetailView, ServiceMapView, ServicesOverviewView } from "../../telemetry/core/views/view-schemas";
import { nonEmptyText, ServiceNameText, TimeParam } from "./fields";
import type { Operation } from "./contract-types";

export { SpanView };

const Range = { from: TimeParam.optional(), to: TimeParam.optional() };

export const telemetryApi = {
  listServices: {
    method: "GET", path: "/api/v1/services", summary: "Every service that sent spans, with request rate, error ratio and p50/p95/p99 over a range (default: the last hour)", scope: "read",
    query: z.object(Range), response: ServicesOverviewView,
  },
  getService: {
    method: "GET", path: "/api/v1/services/{name}", summary: "One service's RED summary and per-minute series (gaps are null)", scope: "read",
    params: z.object({ name: ServiceNameText }), query: z.object(Range),
    response: ServiceDetailView,
  },
  getServiceMap: {
    method: "GET", path: "/api/v1/map",
    summary: "The service map over a range (default: the last hour): services, queues and dependencies with rate, errors and latency, open signals and SLO states, laid out left to right; `service` keeps one service's neighbourhood",
    scope: "read", query: z.object({ service: ServiceNameText.optional(), ...Range }), response: ServiceMapView,
  },
  getTrace: {
    method: "GET", path: "/api/v1/traces/{traceId}", summary: "One trace's spans (IDs hex, times and durations in nanoseconds as strings) and logs", scope: "read",
    params: z.object({ traceId: nonEmptyText(64) }), response: z.object({ trace: TraceView }).strict(),
  },
  metricSeries: {
    method: "GET", path: "/api/v1/metrics", summary: "One metric's per-minute aggregates, merged across attribute sets (and services unless one is named)", scope: "read",
    query: z.object({ name: nonEmptyText(), service: ServiceNameText.optional(), ...Range }),
    response: MetricOverviewView,
  },
} satisfies Record<string, Operation>;
