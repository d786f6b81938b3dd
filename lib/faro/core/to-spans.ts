// Faro items that become spans of the app's service: a page view (root of its page's trace), each duration web
// vital, each exception (an error span), and each fetch/XHR resource timing (a CLIENT span).
import type { KeyValue, OtlpSpan, OtlpSpanEvent } from "../../telemetry/core/otlp/types";
import { keyValues, msToNs, placeItem, timestampNs, type BatchContext } from "./batch-context";
import { derivedId } from "./ids";
import type { PageViewRecord } from "./page-view-event";
import type { FaroEvent, FaroException, FaroMeasurement } from "./payload";
import { webVitalSpanName, type WebVital } from "./web-vitals";

const KIND_INTERNAL = 1;
const KIND_CLIENT = 3;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

type SpanFields = Pick<OtlpSpan, "traceId" | "spanId" | "parentSpanId" | "name" | "kind" | "startTimeUnixNano" | "endTimeUnixNano" | "attributes"> &
  Partial<Pick<OtlpSpan, "statusCode" | "statusMessage" | "events" | "links">>;

function span(f: SpanFields): OtlpSpan {
  return {
    traceState: "", droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0,
    statusCode: STATUS_UNSET, statusMessage: "", events: [], links: [],
    ...f,
  };
}

export function pageViewToSpan(ctx: BatchContext, event: FaroEvent, view: PageViewRecord, index: number): OtlpSpan {
  const endNs = timestampNs(event.timestamp);
  const startNs = endNs - msToNs(view.durationMs);
  const ids = ctx.page
    ? { traceId: ctx.page.traceId, spanId: ctx.page.viewSpanId }
    : { traceId: derivedId(32, "item-trace", ctx.seed, "page_view", index, event.timestamp), spanId: derivedId(16, "page-view", ctx.seed, index, event.timestamp) };
  return span({
    ...ids,
    parentSpanId: "",
    name: `page_view ${view.route}`,
    kind: KIND_INTERNAL,
    startTimeUnixNano: startNs,
    endTimeUnixNano: endNs,
    statusCode: view.errors > 0 ? STATUS_ERROR : STATUS_UNSET,
    statusMessage: view.errors > 0 ? `${view.errors} JavaScript error${view.errors === 1 ? "" : "s"} during this page view` : "",
    attributes: [
      ...ctx.common.filter((kv) => kv.key !== "page.route"),
      ...keyValues({ "faro.kind": "page_view", "page.route": view.route, "page.path": view.path, "page_view.errors": view.errors, "page_view.navigation": view.navigation, "page_view.ended_by": view.endedBy }),
    ],
  });
}

/** A duration vital as a span ending at the report time; only its duration is meaningful (the SDK reports a vital once final). */
export function webVitalToSpan(ctx: BatchContext, m: FaroMeasurement, vital: WebVital, index: number): OtlpSpan {
  const endNs = timestampNs(m.timestamp);
  const identity = m.context?.id ?? `${m.timestamp}:${index}`;
  const extras: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(m.values)) if (k !== vital.name) extras[`web_vital.${k}`] = v;
  for (const [k, v] of Object.entries(m.context ?? {})) if (k !== "rating") extras[`web_vital.${k}`] = v;
  return span({
    ...placeItem(ctx, m.trace, "web_vital", identity),
    spanId: derivedId(16, "web-vital", ctx.seed, vital.name, identity),
    name: webVitalSpanName(vital.name),
    kind: KIND_INTERNAL,
    startTimeUnixNano: endNs - msToNs(vital.value),
    endTimeUnixNano: endNs,
    attributes: [...ctx.common, ...keyValues({ ...extras, "faro.kind": "web_vital", "web_vital.name": vital.name, "web_vital.value": vital.value, "web_vital.rating": vital.rating })],
  });
}

export function stacktraceText(ex: FaroException): string {
  const frames = ex.stacktrace?.frames ?? [];
  const lines = frames.map((f) => `    at ${f.function || "<anonymous>"} (${f.filename || "<unknown>"}${f.lineno === undefined ? "" : `:${f.lineno}`}${f.colno === undefined ? "" : `:${f.colno}`})`);
  return [`${ex.type}: ${ex.value}`, ...lines].join("\n");
}

export function exceptionSpanId(ctx: BatchContext, ex: FaroException, index: number): string {
  return derivedId(16, "exception", ctx.seed, ex.timestamp, ex.type, ex.value, index);
}

export function exceptionToSpan(ctx: BatchContext, ex: FaroException, index: number): OtlpSpan {
  const atNs = timestampNs(ex.timestamp);
  const context = Object.fromEntries(Object.entries(ex.context ?? {}).map(([k, v]) => [`faro.context.${k}`, v]));
  const event: OtlpSpanEvent = {
    timeUnixNano: atNs,
    name: "exception",
    attributes: keyValues({ "exception.type": ex.type, "exception.message": ex.value, "exception.stacktrace": stacktraceText(ex) }),
    droppedAttributesCount: 0,
  };
  return span({
    ...placeItem(ctx, ex.trace, "exception", ex.timestamp, index),
    spanId: exceptionSpanId(ctx, ex, index),
    name: `exception ${ex.type}`,
    kind: KIND_INTERNAL,
    startTimeUnixNano: atNs,
    endTimeUnixNano: atNs,
    statusCode: STATUS_ERROR,
    statusMessage: ex.value,
    events: [event],
    attributes: [...ctx.common, ...keyValues({ ...context, "faro.kind": "exception", "exception.type": ex.type, "exception.message": ex.value })],
  });
}

/** The Faro performance event for one resource timing entry; fetch and XHR ones become CLIENT spans. */
export const RESOURCE_EVENT = "faro.performance.resource";
const REQUEST_INITIATORS = new Set(["fetch", "xmlhttprequest"]);

export function isRequestTiming(event: FaroEvent): boolean {
  return event.name === RESOURCE_EVENT && REQUEST_INITIATORS.has(event.attributes?.initiatorType ?? "");
}

// Path segments that look like IDs are templated, so span names (and their rollups) stay few.
function templatedPath(path: string): string {
  return path
    .split("/")
    .map((s) => (/^(\d+|[0-9a-f]{16,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.test(s) ? "{id}" : s))
    .join("/");
}

function numberOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}

export function requestTimingToSpan(ctx: BatchContext, event: FaroEvent, index: number): OtlpSpan {
  const a = event.attributes ?? {};
  let url: URL | null = null;
  try {
    url = new URL(a.name ?? "");
  } catch {
    url = null;
  }
  const path = url ? templatedPath(url.pathname) : "(unknown)";
  const startNs = timestampNs(event.timestamp);
  const status = numberOf(a.responseStatus);
  const identity = a.faroResourceId ?? `${event.timestamp}:${a.name ?? ""}:${index}`;
  const links = event.trace ? [{ traceId: event.trace.trace_id.toLowerCase(), spanId: event.trace.span_id.toLowerCase(), traceState: "", attributes: [] as KeyValue[], droppedAttributesCount: 0 }] : [];
  return span({
    ...placeItem(ctx, undefined, "resource", identity),
    spanId: derivedId(16, "resource", ctx.seed, identity),
    name: `${a.initiatorType === "xmlhttprequest" ? "xhr" : "fetch"} ${path}`,
    kind: KIND_CLIENT,
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + msToNs(numberOf(a.duration) ?? 0),
    statusCode: status !== undefined && status >= 400 ? STATUS_ERROR : STATUS_UNSET,
    links,
    attributes: [
      ...ctx.common,
      ...keyValues({
        "faro.kind": "resource",
        // The query is left out: Next.js router requests carry a cache-busting `_rsc` parameter.
        "url.full": url ? `${url.origin}${url.pathname}` : a.name,
        "url.path": url?.pathname,
        "server.address": url?.hostname,
        "http.response.status_code": status !== undefined && status > 0 ? status : undefined,
        "network.protocol.name": a.protocol,
        "faro.resource.initiator_type": a.initiatorType,
        "faro.resource.ttfb_ms": numberOf(a.ttfb),
        "faro.resource.transfer_size": numberOf(a.transferSize),
        "faro.resource.cache": a.cacheHitStatus,
      }),
    ],
  });
}
