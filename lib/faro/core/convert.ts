// Converts one validated Faro request into the decoded OTLP requests the ingest sink takes, so browser telemetry
// is normalised, stored and counted against SLOs exactly like OTLP. Pure: no I/O, no clock.
import { decodeTraceRequest } from "../../telemetry/core/otlp/decode";
import type { OtlpMetricsRequest } from "../../telemetry/core/otlp/metric-types";
import type { OtlpLogRecord, OtlpLogsRequest, OtlpSpan, OtlpTraceRequest } from "../../telemetry/core/otlp/types";
import { batchContext, type BatchContext } from "./batch-context";
import { PAGE_VIEW_EVENT } from "./console-app";
import { parsePageViewAttributes } from "./page-view-event";
import type { FaroPayload } from "./payload";
import { measurementToMetrics } from "./to-metrics";
import { eventToRecord, exceptionToRecord, logToRecord } from "./to-logs";
import { exceptionToSpan, isRequestTiming, pageViewToSpan, requestTimingToSpan, webVitalToSpan } from "./to-spans";
import { isDurationVital, WEB_VITALS_MEASUREMENT, webVitalOf } from "./web-vitals";

export type FaroOtlp = {
  traces: OtlpTraceRequest;
  metrics: OtlpMetricsRequest;
  logs: OtlpLogsRequest;
  /** Items that could not be converted (a malformed page_view event), with the first reason. */
  rejected: number;
  problem: string | null;
};

export type ConvertResult = { ok: true; otlp: FaroOtlp } | { ok: false; reason: string };

function countOf<T>(groups: readonly { items: readonly T[] }[]): number {
  return groups.reduce((n, g) => n + g.items.length, 0);
}

// SDK traces (from @grafana/faro-web-tracing) arrive as OTLP/JSON; those without a service name get the app's.
function sdkTraces(payload: FaroPayload, ctx: BatchContext): { ok: true; request: OtlpTraceRequest } | { ok: false; reason: string } {
  if (!payload.traces?.resourceSpans?.length) return { ok: true, request: { resourceSpans: [] } };
  const decoded = decodeTraceRequest(JSON.stringify(payload.traces), "json");
  if (!decoded.ok) return { ok: false, reason: `traces: ${decoded.reason}` };
  const service = ctx.resource.attributes.find((kv) => kv.key === "service.name");
  for (const rs of decoded.value.resourceSpans) {
    if (service && !rs.resource.attributes.some((kv) => kv.key === "service.name")) rs.resource.attributes.push(service);
  }
  return { ok: true, request: decoded.value };
}

export type FaroConvertOptions = {
  /**
   * False refuses SDK traces (counted as rejected): they are raw OTLP that may name any trace, parent and attribute,
   * and the console, the only tokenless sender, sends none.
   */
  sdkTraces?: boolean;
};

export function faroToOtlp(payload: FaroPayload, options: FaroConvertOptions = {}): ConvertResult {
  const ctx = batchContext(payload.meta);
  const traces = sdkTraces(payload, ctx);
  if (!traces.ok) return traces;
  const spans: OtlpSpan[] = [];
  const logRecords: OtlpLogRecord[] = [];
  let rejected = 0;
  let problem: string | null = null;
  if (options.sdkTraces === false && traces.request.resourceSpans.length > 0) {
    rejected += countOf(traces.request.resourceSpans.flatMap((rs) => rs.scopeSpans.map((ss) => ({ items: ss.spans }))));
    problem = "traces: SDK spans need an ingest token";
    traces.request.resourceSpans = [];
  }

  (payload.events ?? []).forEach((event, i) => {
    if (event.name === PAGE_VIEW_EVENT) {
      const view = parsePageViewAttributes(event.attributes);
      if (view.ok) spans.push(pageViewToSpan(ctx, event, view.record, i));
      else {
        rejected++;
        problem ??= `events.${i} (${PAGE_VIEW_EVENT}): ${view.reason}`;
      }
    } else if (isRequestTiming(event)) spans.push(requestTimingToSpan(ctx, event, i));
    else logRecords.push(eventToRecord(ctx, event, i));
  });
  (payload.measurements ?? []).forEach((m, i) => {
    const vital = m.type === WEB_VITALS_MEASUREMENT ? webVitalOf(m.values, m.context) : null;
    if (vital && isDurationVital(vital.name)) spans.push(webVitalToSpan(ctx, m, vital, i));
  });
  (payload.exceptions ?? []).forEach((ex, i) => {
    const errorSpan = exceptionToSpan(ctx, ex, i);
    spans.push(errorSpan);
    logRecords.push(exceptionToRecord(ctx, ex, errorSpan));
  });
  (payload.logs ?? []).forEach((log, i) => logRecords.push(logToRecord(ctx, log, i)));
  const metrics = (payload.measurements ?? []).flatMap((m) => measurementToMetrics(ctx, m));

  const resource = () => ({ attributes: [...ctx.resource.attributes], droppedAttributesCount: 0 });
  const scope = ctx.scope;
  return {
    ok: true,
    otlp: {
      traces: { resourceSpans: [...(spans.length ? [{ resource: resource(), schemaUrl: "", scopeSpans: [{ scope, schemaUrl: "", spans }] }] : []), ...traces.request.resourceSpans] },
      metrics: { resourceMetrics: metrics.length ? [{ resource: resource(), schemaUrl: "", scopeMetrics: [{ scope, schemaUrl: "", metrics }] }] : [] },
      logs: { resourceLogs: logRecords.length ? [{ resource: resource(), schemaUrl: "", scopeLogs: [{ scope, schemaUrl: "", logRecords }] }] : [] },
      rejected,
      problem,
    },
  };
}

/**
 * Sets `service.name` on every resource of a conversion, SDK traces included; returns how many resources named
 * another service. Tokenless same-origin payloads go through this so that they can only ever describe the console.
 */
export function forceServiceName(otlp: FaroOtlp, serviceName: string): number {
  const resources = [...otlp.traces.resourceSpans, ...otlp.metrics.resourceMetrics, ...otlp.logs.resourceLogs].map((r) => r.resource);
  let renamed = 0;
  for (const resource of resources) {
    const names = resource.attributes.filter((kv) => kv.key === "service.name");
    if (names.length !== 1 || names[0]?.value !== serviceName) renamed++;
    resource.attributes = [{ key: "service.name", value: serviceName }, ...resource.attributes.filter((kv) => kv.key !== "service.name")];
  }
  return renamed;
}

/** How many spans, metric points and log records a conversion produced. */
export function otlpCounts(otlp: FaroOtlp): { spans: number; metricPoints: number; logRecords: number } {
  const spans = otlp.traces.resourceSpans.flatMap((rs) => rs.scopeSpans.map((ss) => ({ items: ss.spans })));
  const points = otlp.metrics.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => ({ items: m.data.kind === "empty" ? [] : (m.data.dataPoints as unknown[]) }))));
  const logs = otlp.logs.resourceLogs.flatMap((rl) => rl.scopeLogs.map((sl) => ({ items: sl.logRecords })));
  return { spans: countOf(spans), metricPoints: countOf(points), logRecords: countOf(logs) };
}
