import { describe, expect, it } from "vitest";
import { normaliseLogs } from "../../telemetry/core/otlp/normalise-logs";
import { normaliseMetrics } from "../../telemetry/core/otlp/normalise-metrics";
import { normaliseTraces } from "../../telemetry/core/otlp/normalise-traces";
import { parseSloDefinition } from "../../slo/core/definition";
import { spanContributions } from "../../slo/core/span-sli";
import { consoleSloDefinitions } from "./console-slos";
import { faroToOtlp, otlpCounts } from "./convert";
import { parseFaroPayload } from "./payload";
import { at, CLS, EXCEPTION, faroBody, FETCH_TIMING, LCP, META, PAGE_VIEW, T0_NS } from "../../../tests/fixtures/faro-payloads";

const NOW = T0_NS + 60_000_000_000n;
const MS = 1_000_000n;

function convert(body: unknown) {
  const parsed = parseFaroPayload(body);
  if (!parsed.ok) throw new Error(parsed.reason);
  const r = faroToOtlp(parsed.payload);
  if (!r.ok) throw new Error(r.reason);
  return r.otlp;
}

/** The rows the store would write, through the same normalisers as OTLP. */
function rows(body: unknown) {
  const otlp = convert(body);
  return {
    otlp,
    spans: normaliseTraces(otlp.traces, { nowUnixNano: NOW }).spans,
    points: normaliseMetrics(otlp.metrics, { nowUnixNano: NOW }).points,
    logs: normaliseLogs(otlp.logs, { nowUnixNano: NOW }).logs,
  };
}

const session_start = { name: "session_start", domain: "browser", timestamp: at(0), attributes: { previousSession: "none" } };
const log = { message: "hello", level: "warn", timestamp: at(100), context: { component: "nav" } };

describe("faroToOtlp", () => {
  it("turns a page's Faro items into spans, metric points and logs of the app's service, in one trace per page view", () => {
    const r = rows(faroBody({ events: [PAGE_VIEW, FETCH_TIMING, session_start], measurements: [LCP, CLS], exceptions: [EXCEPTION], logs: [log] }));
    expect(r.spans.map((s) => [s.name, s.kind, s.statusCode, s.durationNs / MS])).toEqual([
      ["page_view /services/[name]", "INTERNAL", "UNSET", 4200n],
      ["fetch /api/v1/services", "CLIENT", "UNSET", 120n],
      ["web_vital lcp", "INTERNAL", "UNSET", 1840n],
      ["exception Error", "INTERNAL", "ERROR", 0n],
    ]);
    const [view, fetch, lcp, error] = r.spans;
    expect(new Set(r.spans.map((s) => s.traceId)).size).toBe(1);
    expect([view?.parentSpanId, fetch?.parentSpanId, lcp?.parentSpanId, error?.parentSpanId]).toEqual([null, view?.spanId, view?.spanId, view?.spanId]);
    expect(view).toMatchObject({ serviceName: "console", serviceVersion: "0.1.0", startTimeUnixNano: T0_NS + 800n * MS, endTimeUnixNano: T0_NS + 5000n * MS });
    expect(view?.attributes).toMatchObject({ "faro.kind": "page_view", "page.route": "/services/[name]", "page.path": "/services/checkout", "page_view.errors": 0, "page_view.navigation": "load", "session.id": "sess-abc" });
    expect(view?.resourceAttributes).toMatchObject({ "service.name": "console", "deployment.environment.name": "production", "telemetry.sdk.version": "2.12.1", "browser.name": "Chrome" });
    expect(fetch?.attributes).toMatchObject({ "url.full": "http://localhost:3000/api/v1/services", "http.response.status_code": 200, "server.address": "localhost", "faro.resource.ttfb_ms": 80 });
    expect(lcp?.durationNs).toBe(1_840_500_000n);
    expect(lcp?.attributes).toMatchObject({ "web_vital.name": "lcp", "web_vital.value": 1840.5, "web_vital.rating": "good", "web_vital.element": "h1", "web_vital.element_render_delay": 12 });
    expect(error?.statusMessage).toBe("boom");
    expect(error?.events[0]?.attributes["exception.stacktrace"]).toBe("Error: boom\n    at onClick (http://localhost:3000/_next/static/chunks/app.js:10:20)");

    expect(r.points.map((p) => [p.name, p.kind, p.unit, p.kind === "histogram" ? p.bucketCounts.indexOf(1) : null, p.attributes])).toEqual([
      ["browser.web_vital.lcp", "histogram", "ms", 3, { "page.route": "/services/[name]", "web_vital.rating": "good" }],
      ["browser.web_vital.cls", "histogram", "1", 1, { "page.route": "/services/[name]", "web_vital.rating": "good" }],
    ]);
    expect(r.logs.map((l) => [l.severityText, l.bodyText, l.traceId === view?.traceId, l.spanId])).toEqual([
      ["INFO", "session_start", true, view?.spanId],
      ["ERROR", "Error: boom", true, error?.spanId],
      ["WARN", "hello", true, view?.spanId],
    ]);
    expect(r.logs[1]?.attributes["exception.stacktrace"]).toContain("at onClick");
    expect(otlpCounts(r.otlp)).toEqual({ spans: 4, metricPoints: 2, logRecords: 3 });
  });

  it("marks a page view with JavaScript errors as an error span", () => {
    const [view] = rows(faroBody({ events: [{ ...PAGE_VIEW, attributes: { ...PAGE_VIEW.attributes, errors: "2" } }] })).spans;
    expect([view?.statusCode, view?.statusMessage, view?.attributes["page_view.errors"]]).toEqual(["ERROR", "2 JavaScript errors during this page view", 2]);
  });

  it("gives a resent request the same IDs, so the span writer stores it once", () => {
    const body = faroBody({ events: [PAGE_VIEW, FETCH_TIMING], measurements: [LCP], exceptions: [EXCEPTION] });
    expect(rows(body).spans.map((s) => `${s.traceId}/${s.spanId}`)).toEqual(rows(body).spans.map((s) => `${s.traceId}/${s.spanId}`));
  });

  it("puts items into the trace context the SDK sent, and items without a page ID into traces of their own", () => {
    const trace = { trace_id: "5b8efff798038103d269b633813fc60c", span_id: "eee19b7ec3c1b174" };
    const own = rows(faroBody({ exceptions: [{ ...EXCEPTION, trace }] })).spans[0];
    expect([own?.traceId, own?.parentSpanId]).toEqual([trace.trace_id, trace.span_id]);
    const noPage = rows({ meta: { ...META, page: { url: META.page.url } }, exceptions: [EXCEPTION, { ...EXCEPTION, timestamp: at(2500) }], events: [PAGE_VIEW] }).spans;
    expect(new Set(noPage.map((s) => s.traceId)).size).toBe(3);
    expect(noPage.map((s) => s.parentSpanId)).toEqual([null, null, null]);
  });

  it.each([
    ["no route", { duration_ms: "10" }, "attributes.route: must name the route"],
    ["a duration that is not a number", { route: "/", duration_ms: "soon" }, "attributes.duration_ms: must be a number of milliseconds"],
    ["a negative error count", { route: "/", duration_ms: "10", errors: "-1" }, "attributes.errors: must be a whole number"],
    ["an unknown navigation", { route: "/", duration_ms: "10", navigation: "teleport" }, 'attributes.navigation: Invalid option: expected one of "load"|"route_change"|"resume"'],
  ])("drops a page_view event with %s, counting it rejected", (_case, attributes, reason) => {
    const otlp = convert(faroBody({ events: [{ ...PAGE_VIEW, attributes }, session_start] }));
    expect([otlp.rejected, otlp.problem, otlpCounts(otlp)]).toEqual([1, `events.0 (page_view): ${reason}`, { spans: 0, metricPoints: 0, logRecords: 1 }]);
  });

  it("passes SDK traces through the OTLP decoder, naming the app's service where they name none", () => {
    const span = { traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b174", name: "HTTP GET", kind: 3, startTimeUnixNano: String(T0_NS), endTimeUnixNano: String(T0_NS + 5n * MS) };
    const r = rows(faroBody({ traces: { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: "@opentelemetry/instrumentation-fetch" }, spans: [span] }] }] } }));
    expect(r.spans.map((s) => [s.serviceName, s.name, s.kind])).toEqual([["console", "HTTP GET", "CLIENT"]]);
    const bad = parseFaroPayload(faroBody({ traces: { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, startTimeUnixNano: "yesterday" }] }] }] } }));
    expect(bad.ok && faroToOtlp(bad.payload)).toMatchObject({ ok: false, reason: expect.stringMatching(/^traces: /) });
  });

  it("turns other measurements into gauges named type.key", () => {
    const r = rows(faroBody({ measurements: [{ type: "custom", values: { "render time": 12, items: 3 }, timestamp: at(0) }] }));
    expect(r.points.map((p) => [p.name, p.kind, p.kind === "gauge" ? p.value : null])).toEqual([["custom.render_time", "gauge", 12], ["custom.items", "gauge", 3]]);
  });
});

describe("the console's built-in SLOs over converted telemetry", () => {
  const slos = consoleSloDefinitions().map((d, i) => {
    const parsed = parseSloDefinition(d);
    if (!parsed.ok) throw new Error(parsed.reason);
    return { id: `slo-${i}`, definition: parsed.definition };
  });

  it.each([
    ["an error-free page view is good", [PAGE_VIEW], [], { "slo-1": [1, 1] }],
    ["a page view with an error is bad", [{ ...PAGE_VIEW, attributes: { ...PAGE_VIEW.attributes, errors: "1" } }], [], { "slo-1": [0, 1] }],
    ["an LCP of 1.8 s is good", [], [LCP], { "slo-0": [1, 1] }],
    ["an LCP of 2.6 s is bad", [], [{ ...LCP, values: { lcp: 2600, delta: 2600 } }], { "slo-0": [0, 1] }],
    ["CLS counts for neither", [], [CLS], {}],
  ])("%s", (_case, events, measurements, expected) => {
    const { spans } = rows(faroBody({ events, measurements, exceptions: [EXCEPTION] }));
    const got = Object.fromEntries(spanContributions(slos, spans).map((c) => [c.sloId, [c.good, c.total]]));
    expect(got).toEqual(expected);
  });
});
