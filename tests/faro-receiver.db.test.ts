// The Faro receiver end to end: request bodies made by the real Faro SDK core (its getTransportBody, grouped by
// meta as its batch executor does) with the console's page-view tracker, posted through the route handler, read
// back from the stored spans, logs, metric aggregates and the built-in console SLOs' rollups; and its refusals.
import { BaseTransport, getTransportBody, initializeFaro, VERSION, type TransportItem } from "@grafana/faro-core";
import { parseStacktrace } from "@grafana/faro-web-sdk";
import { randomBytes } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import * as collect from "../app/api/faro/collect/route";
import { api } from "../lib/api/core/contract";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { CONSOLE_ERROR_FREE_SLO, CONSOLE_LCP_SLO } from "../lib/faro/core/console-slos";
import { consoleStatus } from "../lib/faro/store/console-status";
import { installConsoleSlos } from "../lib/faro/store/install-console-slos";
import { PageViewTracker } from "../lib/faro/sdk/page-view-tracker";
import { listSlos } from "../lib/slo/store/slos";
import { metricSeries } from "../lib/telemetry/query/metric-series";
import { getTrace } from "../lib/telemetry/query/trace";
import { installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";

const ORIGIN = "http://localhost:3000";

class CapturingTransport extends BaseTransport {
  readonly name = "capture";
  readonly version = VERSION;
  readonly items: TransportItem[] = [];
  send(items: TransportItem | TransportItem[]) {
    this.items.push(...(Array.isArray(items) ? items : [items]));
  }
  isBatched() {
    return true;
  }
  getIgnoreUrls() {
    return [];
  }
}

/** A console visit as the browser would report it: overview (with LCP and a fetch), the test page that throws, then SLOs. */
function consoleVisit(): unknown[] {
  const transport = new CapturingTransport();
  let now = Date.now() - 60_000;
  const tracker = new PageViewTracker({ nowMs: () => now, newId: () => `${Math.random().toString(16).slice(2, 10)}${now.toString(16)}`.slice(0, 16) });
  const faro = initializeFaro({
    app: { name: "console", version: "0.1.0", environment: "test" },
    batching: { enabled: false },
    dedupe: true,
    globalObjectKey: "faroTest",
    internalLoggerLevel: 0,
    isolate: true,
    instrumentations: [],
    metas: [{ session: { id: "session-1" }, browser: { name: "Chrome", version: "131" } }, () => tracker.pageMeta()],
    parseStacktrace,
    paused: false,
    preventGlobalExposure: true,
    transports: [transport],
    unpatchedConsole: console,
    eventDomain: "browser",
  } as unknown as Parameters<typeof initializeFaro>[0]);
  tracker.attach(faro.api);
  tracker.navigate({ route: "/", path: "/", url: `${ORIGIN}/`, startedAtMs: now - 900 });
  now += 1000;
  // The shapes Faro's web-vitals and performance instrumentations push.
  faro.api.pushMeasurement({ type: "web-vitals", values: { lcp: 1800, delta: 1800, time_to_first_byte: 90 } }, { context: { id: "v5-lcp-1", rating: "good", navigation_type: "navigate" }, timestampOverwriteMs: now });
  faro.api.pushEvent("faro.performance.resource", { name: `${ORIGIN}/api/v1/status`, initiatorType: "fetch", duration: "35", responseStatus: "200", faroResourceId: "r1" }, undefined, { timestampOverwriteMs: now });
  now += 2000;
  tracker.navigate({ route: "/debug/faro-error", path: "/debug/faro-error", url: `${ORIGIN}/debug/faro-error` });
  now += 500;
  tracker.recordError();
  faro.api.pushError(new Error("Tailguard test page: an error thrown on purpose (#1)"), { timestampOverwriteMs: now });
  faro.api.pushLog(["leaving the test page"], { level: "warn" as never, timestampOverwriteMs: now });
  now += 500;
  tracker.navigate({ route: "/slos", path: "/slos", url: `${ORIGIN}/slos` });
  // Faro's batch executor sends one body per distinct meta.
  const groups = new Map<string, TransportItem[]>();
  for (const item of transport.items) groups.set(JSON.stringify(item.meta), [...(groups.get(JSON.stringify(item.meta)) ?? []), item]);
  return [...groups.values()].map((items) => JSON.parse(JSON.stringify(getTransportBody(items))));
}

/**
 * A payload that claims to be the `checkout` service: its app name, a page view (a span of the app's service), a
 * log, and an SDK trace whose resource says so.
 */
function checkoutPayload() {
  const traceId = randomBytes(16).toString("hex");
  const startNs = BigInt(Date.now() - 60_000) * 1_000_000n;
  const span = { traceId, spanId: randomBytes(8).toString("hex"), name: "POST /checkout", kind: 2, startTimeUnixNano: String(startNs), endTimeUnixNano: String(startNs + 5_000_000n) };
  const pageView = { name: "page_view", domain: "tailguard", timestamp: new Date().toISOString(), trace: { trace_id: traceId, span_id: randomBytes(8).toString("hex") }, attributes: { route: "/pay", path: "/pay", duration_ms: "1200", errors: "0", navigation: "load", ended_by: "navigation" } };
  const body = {
    meta: { app: { name: "checkout" }, session: { id: "s1" }, page: { id: `p-${traceId}` } },
    events: [pageView],
    logs: [{ message: `order placed ${traceId}`, level: "info", timestamp: new Date().toISOString() }],
    traces: { resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "checkout" } }] }, scopeSpans: [{ scope: { name: "faro" }, spans: [span] }] }] },
  };
  return { traceId, body };
}

function post(body: unknown, headers: Record<string, string> = { origin: ORIGIN }) {
  const req = new Request(`${ORIGIN}/api/faro/collect`, {
    method: "POST",
    headers: { host: "localhost:3000", "content-type": "application/json", "x-request-id": "faro-test", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return collect.POST(req);
}

describeEachDatabase("Faro receiver", ({ db }) => {
  let bodies: unknown[] = [];
  let responses: { status: number; json: any }[] = [];

  beforeAll(async () => {
    installTestApp(db());
    expect(await installConsoleSlos({ db: db(), actor: SYSTEM_ACTOR }, {})).toBe("installed");
    bodies = consoleVisit();
    responses = [];
    for (const body of bodies) {
      const res = await post(body);
      responses.push({ status: res.status, json: await res.json() });
    }
  });

  it("answers each SDK request 202 with what it stored", () => {
    // One body per page view: its items and, when it ended, its page_view event carry its page ID.
    expect(bodies.map((b) => (b as { meta: { page: { url: string } } }).meta.page.url)).toEqual([`${ORIGIN}/`, `${ORIGIN}/debug/faro-error`]);
    expect(responses.map((r) => r.status)).toEqual([202, 202]);
    for (const r of responses) api.faroCollect.response.parse(r.json);
    const total = responses.reduce((t, r) => ({ spans: t.spans + r.json.accepted.spans, logs: t.logs + r.json.accepted.logRecords, points: t.points + r.json.accepted.metricPoints }), { spans: 0, logs: 0, points: 0 });
    // 2 page views, the LCP span, the fetch span, the error span; the error's log and the warning; the LCP point.
    expect(total).toEqual({ spans: 5, logs: 2, points: 1 });
  });

  it("stores page views, the fetch, the LCP and the error as spans of the console service", async () => {
    const spans = await db().sql.query<{ name: string; status_code: string; kind: string; duration_ms: number }>(
      `SELECT name, status_code, kind, (duration_ns / 1000000)::float8 AS duration_ms FROM spans WHERE service = 'console' ORDER BY start_ns, name`,
    );
    expect(spans).toEqual([
      { name: "page_view /", status_code: "UNSET", kind: "INTERNAL", duration_ms: 3900 },
      { name: "web_vital lcp", status_code: "UNSET", kind: "INTERNAL", duration_ms: 1800 },
      { name: "fetch /api/v1/status", status_code: "UNSET", kind: "CLIENT", duration_ms: 35 },
      { name: "page_view /debug/faro-error", status_code: "ERROR", kind: "INTERNAL", duration_ms: 1000 },
      { name: "exception Error", status_code: "ERROR", kind: "INTERNAL", duration_ms: 0 },
    ]);
  });

  it("puts the error, its stack and the warning into the trace of the page view they happened in", async () => {
    const [row] = await db().sql.query<{ trace_id: string }>(`SELECT trace_id FROM spans WHERE name = 'page_view /debug/faro-error'`);
    const trace = await getTrace(db().sql, row!.trace_id);
    expect(trace.spans.map((s) => s.name)).toEqual(["page_view /debug/faro-error", "exception Error"]);
    expect(trace.spans[1]?.parentSpanId).toBe(trace.spans[0]?.spanId);
    expect(trace.logs.map((l) => [l.severityText, l.body])).toEqual([
      ["ERROR", "Error: Tailguard test page: an error thrown on purpose (#1)"],
      ["WARN", "leaving the test page"],
    ]);
    expect(String(trace.logs[0]?.attributes["exception.stacktrace"])).toMatch(/^Error: Tailguard test page.*\n {4}at /);
  });

  it("stores the LCP as a histogram the metrics API reads", async () => {
    const nowMinute = Math.ceil(Date.now() / 60_000);
    const series = await metricSeries(db().sql, { name: "browser.web_vital.lcp", service: "console", fromMinute: nowMinute - 10, toMinute: nowMinute + 1 });
    expect(series.unit).toBe("ms");
    expect(series.points.map((p) => [p.kind, p.count, p.sum])).toEqual([["histogram", 1, 1800]]);
  });

  it("feeds the built-in console SLOs, and the Console card's figures", async () => {
    const slos = await listSlos(db(), { service: "console" });
    expect(slos.map((s) => s.definition.name).sort()).toEqual([CONSOLE_ERROR_FREE_SLO, CONSOLE_LCP_SLO]);
    const rollups = await db().sql.query<{ name: string; good: number; total: number }>(
      `SELECT s.name, sum(r.good)::float8 AS good, sum(r.total)::float8 AS total FROM slo_minute_rollups r JOIN slos s ON s.id = r.slo_id GROUP BY s.name ORDER BY s.name`,
    );
    expect(rollups).toEqual([{ name: CONSOLE_ERROR_FREE_SLO, good: 1, total: 2 }, { name: CONSOLE_LCP_SLO, good: 1, total: 1 }]);
    const card = await consoleStatus(db(), {}, Date.now());
    // One LCP of 1,800 ms in the (1,500, 2,000] bucket: p75 interpolates to 1,500 + 0.75 × 500.
    expect(card.last24h).toEqual({ pageViews: 2, pageViewsWithErrors: 1, lcpP75Ms: 1875, lcpSamples: 1 });
    expect(await installConsoleSlos({ db: db(), actor: SYSTEM_ACTOR }, {})).toBe("already installed");
  });

  it("stores a resent request once", async () => {
    const before = await db().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM spans WHERE service = 'console'`);
    expect((await post(bodies[1])).status).toBe(202);
    const after = await db().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM spans WHERE service = 'console'`);
    expect(after).toEqual(before);
    const [errorFree] = await db().sql.query<{ total: number }>(`SELECT sum(r.total)::float8 AS total FROM slo_minute_rollups r JOIN slos s ON s.id = r.slo_id WHERE s.name = $1`, [CONSOLE_ERROR_FREE_SLO]);
    expect(errorFree?.total).toBe(2);
  });

  it.each([
    ["a body that is not JSON", "{", {}, 400, "request body is not valid JSON"],
    ["a malformed item", { meta: {}, exceptions: [{ type: "Error", value: "x", timestamp: "yesterday" }] }, {}, 400, "exceptions.0.timestamp: must be an RFC 3339 timestamp such as 2026-11-23T12:00:00.000Z"],
    ["a page of another origin", { meta: {} }, { origin: "https://evil.example" }, 403, "cross-origin Faro request refused: pages of https://evil.example may not send here; list the origin in TAILGUARD_FARO_ALLOWED_ORIGINS"],
    ["a body that is not JSON by its type", "{}", { "content-type": "text/plain" }, 415, "Content-Type must be application/json (a Faro payload)"],
  ])("refuses %s", async (_case, body, headers, status, message) => {
    const res = await post(body, { origin: ORIGIN, ...headers });
    expect(res.status).toBe(status);
    expect((await res.json()).error).toMatchObject({ message, requestId: "faro-test" });
  });

  it("answers a listed origin's preflight and request with CORS headers", async () => {
    const main = installTestApp(db(), { TAILGUARD_FARO_ALLOWED_ORIGINS: "https://app.example.com" });
    const preflight = await collect.OPTIONS(new Request(`${ORIGIN}/api/faro/collect`, { method: "OPTIONS", headers: { host: "localhost:3000", origin: "https://app.example.com" } }));
    expect([preflight.status, preflight.headers.get("access-control-allow-origin")]).toEqual([204, "https://app.example.com"]);
    const res = await post({ meta: { app: { name: "shop" } }, logs: [{ message: "hi", level: "info", timestamp: new Date().toISOString() }] }, { origin: "https://app.example.com" });
    expect([res.status, res.headers.get("access-control-allow-origin")]).toEqual([202, "https://app.example.com"]);
    expect(main.config.TAILGUARD_FARO_ALLOWED_ORIGINS).toEqual(["https://app.example.com"]);
  });

  it("in production with ingest auth required, stores tokenless same-origin payloads as the console's; anything else needs an ingest token", async () => {
    installTestApp(db(), { NODE_ENV: "production", TAILGUARD_INGEST_AUTH: "required", TAILGUARD_FARO_ALLOWED_ORIGINS: "https://app.example.com" });
    const { secret } = await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "faro-ingest", scopes: ["ingest"] });
    const { secret: readOnly } = await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "faro-read", scopes: ["read"] });
    // The SDK span is in the payload's trace; the page view's span in the trace derived from its session and page.
    const servicesOf = async (traceId: string) => {
      const spans = await db().sql.query<{ service: string }>(`SELECT DISTINCT service FROM spans WHERE trace_id = $1 OR attributes->>'faro.page.id' = $2 ORDER BY service`, [traceId, `p-${traceId}`]);
      const logs = await db().sql.query<{ service: string }>(`SELECT DISTINCT service FROM logs WHERE body::text LIKE $1`, [`%${traceId}%`]);
      return { spans: spans.map((r) => r.service), logs: logs.map((r) => r.service) };
    };

    // Origin and Host are headers anyone can set: the page's telemetry is taken, but only as the console's own, and
    // the raw SDK span (any trace, parent and attribute) is refused.
    const forged = checkoutPayload();
    const sameOrigin = await post(forged.body, { origin: ORIGIN });
    const sameOriginJson = await sameOrigin.json();
    expect([sameOrigin.status, sameOriginJson.accepted, sameOriginJson.rejected]).toEqual([202, { spans: 1, metricPoints: 0, logRecords: 1 }, 1]);
    expect(sameOriginJson.message).toBe(`traces: SDK spans need an ingest token; without an ingest token only the console's own telemetry is taken; stored as service.name "console"`);
    expect(await servicesOf(forged.traceId)).toEqual({ spans: ["console"], logs: ["console"] });
    expect(await db().sql.query(`SELECT 1 FROM spans WHERE trace_id = $1`, [forged.traceId])).toEqual([]);

    const crossOrigin = checkoutPayload();
    const listed = await post(crossOrigin.body, { origin: "https://app.example.com" });
    expect([listed.status, (await listed.json()).error.code]).toEqual([401, "unauthenticated"]);
    expect((await post(crossOrigin.body, { origin: "https://evil.example" })).status).toBe(403);
    expect((await post(crossOrigin.body, { origin: ORIGIN, authorization: `Bearer ${readOnly}` })).status).toBe(403);
    expect((await post(crossOrigin.body, { origin: ORIGIN, authorization: "Bearer tg_not_a_token" })).status).toBe(401);
    expect(await servicesOf(crossOrigin.traceId)).toEqual({ spans: [], logs: [] });

    const withToken = checkoutPayload();
    const tokened = await post(withToken.body, { origin: "https://app.example.com", "x-api-key": secret });
    expect([tokened.status, (await tokened.json()).accepted.spans]).toEqual([202, 2]);
    expect(await servicesOf(withToken.traceId)).toEqual({ spans: ["checkout"], logs: ["checkout"] });
    const serverSide = checkoutPayload();
    expect((await post(serverSide.body, { authorization: `Bearer ${secret}` })).status).toBe(202);
    expect(await servicesOf(serverSide.traceId)).toEqual({ spans: ["checkout"], logs: ["checkout"] });
    installTestApp(db());
  });

  it("caps the body (413), limits the rate (429 + Retry-After), and asks non-browser senders for a token when ingestion is closed", async () => {
    installTestApp(db(), { TAILGUARD_FARO_MAX_REQUEST_BYTES: "2048" });
    const big = await post({ meta: {}, logs: [{ message: "x".repeat(4000), level: "info", timestamp: new Date().toISOString() }] });
    expect([big.status, (await big.json()).error.message]).toEqual([413, "request body over the 2048-byte limit"]);

    installTestApp(db(), { TAILGUARD_FARO_RATE_PER_S: "0.01" });
    expect((await post({ meta: {} })).status).toBe(202);
    const limited = await post({ meta: {} });
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "100"]);

    installTestApp(db(), { TAILGUARD_INGEST_AUTH: "required" });
    const anonymous = await post({ meta: {} }, {});
    expect([anonymous.status, (await anonymous.json()).error.code]).toEqual([401, "unauthenticated"]);
    expect((await post({ meta: {} }, { origin: ORIGIN })).status).toBe(202);
    installTestApp(db());
  });
});
