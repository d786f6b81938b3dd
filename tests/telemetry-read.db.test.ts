import { beforeAll, expect, it } from "vitest";
import { GET as getMetrics } from "../app/api/v1/metrics/route";
import { GET as getService } from "../app/api/v1/services/[name]/route";
import { GET as listServicesRoute } from "../app/api/v1/services/route";
import { GET as getTraceRoute } from "../app/api/v1/traces/[traceId]/route";
import { api } from "../lib/api/core/contract";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { normaliseMetrics } from "../lib/telemetry/core/otlp/normalise-metrics";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { DURATION_BOUNDS_NS } from "../lib/telemetry/core/metrics/duration-buckets";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";
import { gauge, hexId, metricsRequest, MS, T0, traceRequest, type SpanSpec } from "./helpers/telemetry-fixtures";

// Durations on bucket bounds, so each quantile is a hand-checkable interpolation inside one bucket.
const B = (i: number) => DURATION_BOUNDS_NS[i] as number;
const TRACE = hexId(32, 0x77);
const MIN = 60_000n * MS;
const RANGE = "from=2026-11-20T12:00:00Z&to=2026-11-20T12:03:00Z";

function server(minute: bigint, i: number, bound: number, error = false): SpanSpec {
  return { service: "api", traceId: TRACE, spanId: hexId(16, 0x100 + i), parentSpanId: i === 0 ? undefined : hexId(16, 0x100), name: "GET /a", kind: 2, startNs: T0 + minute * MIN + BigInt(i) * MS, durationMs: bound / 1e6, error };
}

const SPANS: SpanSpec[] = [
  // Minute 0: four at B40, one at B44, one failed at B60; a CLIENT span that is not a request; minute 1 empty; minute 2: three at B40.
  server(0n, 0, B(60), true), server(0n, 1, B(40)), server(0n, 2, B(40)), server(0n, 3, B(40)), server(0n, 4, B(40)), server(0n, 5, B(44)),
  { service: "api", traceId: TRACE, spanId: hexId(16, 0x200), parentSpanId: hexId(16, 0x100), name: "SELECT", kind: 3, startNs: T0 + 5n * MS, durationMs: 1,
    attributes: { "db.system": "postgresql", retries: 2, ok: true, tags: ["a", "b"] }, events: [{ timeUnixNano: T0 + 6n * MS, name: "exception", attributes: { "exception.message": "boom" } }],
    links: [{ traceId: hexId(32, 0x78), spanId: hexId(16, 0x300) }] },
  server(2n, 6, B(40)), server(2n, 7, B(40)), server(2n, 8, B(40)),
  { service: "worker", traceId: hexId(32, 0x79), spanId: hexId(16, 0x400), name: "tick", kind: 1, startNs: T0 + 30_000n * MS, durationMs: 2 },
];

const interpolate = (lowerIndex: number, rankInBucket: number, inBucket: number) => expect.closeTo((B(lowerIndex) + (B(lowerIndex + 1) - B(lowerIndex)) * (rankInBucket / inBucket)) / 1e6, 9);

describeEachDatabase("telemetry read API", ({ db }) => {
  let reader = "";
  beforeAll(async () => {
    installTestApp(db());
    reader = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "r", scopes: ["read"] })).secret;
    const nowMs = Number(T0 / MS) + 600_000;
    const writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 1, nowMs: () => nowMs });
    await writer.writeSpans(normaliseTraces(traceRequest(SPANS), { nowUnixNano: BigInt(nowMs) * MS }).spans);
    await writer.writeMetrics(normaliseMetrics(metricsRequest("api", [gauge("pool.in_use", [{ timeNs: T0 + 1000n * MS, value: 3 }, { timeNs: T0 + 2000n * MS, value: 5, attributes: { pool: "b" } }])]), { nowUnixNano: BigInt(nowMs) * MS }).points);
  });

  it("lists services with RED from the rollups over the range", async () => {
    const res = await callRoute(listServicesRoute, { path: `/api/v1/services?${RANGE}`, token: reader });
    expect(res.status).toBe(200);
    api.listServices.response.parse(res.json);
    expect(res.json.range).toEqual({ from: "2026-11-20T12:00:00.000Z", to: "2026-11-20T12:03:00.000Z" });
    const [apiSvc, worker] = res.json.services;
    // 9 SERVER spans in 180 s, one failed; ranks 4.5, 8.55 and 8.91 of 9 (7 in bucket 40, 1 in 44, 1 in 60).
    expect(apiSvc).toEqual({
      name: "api", basis: "entry", spanCount: 10, lastSeen: new Date(Number(T0 / MS) + 120_000 + 8 + B(40) / 1e6).toISOString(),
      requestRatePerS: 9 / 180, errorRatio: 1 / 9, p50Ms: interpolate(39, 4.5, 7), p95Ms: interpolate(59, 0.55, 1), p99Ms: interpolate(59, 0.91, 1),
    });
    // Without SERVER or CONSUMER spans a service's RED counts all its spans.
    expect(worker).toMatchObject({ name: "worker", basis: "all", spanCount: 1, requestRatePerS: 1 / 180, errorRatio: 0 });
  });

  it("gives one service's per-minute series with null for a minute without data", async () => {
    const res = await callRoute(getService, { path: `/api/v1/services/api?${RANGE}`, params: { name: "api" }, token: reader });
    expect(res.status).toBe(200);
    api.getService.response.parse(res.json);
    expect(res.json.stepMinutes).toBe(1);
    expect(res.json.series.map((p: Record<string, unknown>) => [p.at, p.requestRatePerS, p.errorRatio])).toEqual([
      ["2026-11-20T12:00:00.000Z", 0.1, 1 / 6], ["2026-11-20T12:01:00.000Z", null, null], ["2026-11-20T12:02:00.000Z", 0.05, 0],
    ]);
    expect(res.json.series[2]).toMatchObject({ p50Ms: interpolate(39, 1.5, 3) });
    expect(res.json.series[1].p99Ms).toBeNull();
    expect((await callRoute(getService, { path: `/api/v1/services/nope?${RANGE}`, params: { name: "nope" }, token: reader })).status).toBe(404);
  });

  it("returns one trace with hex IDs, attributes, events, links and nanosecond strings", async () => {
    const res = await callRoute(getTraceRoute, { path: `/api/v1/traces/${TRACE.toUpperCase()}`, params: { traceId: TRACE.toUpperCase() }, token: reader });
    expect(res.status).toBe(200);
    api.getTrace.response.parse(res.json);
    const { trace } = res.json;
    expect(trace.spans).toHaveLength(10);
    expect(trace).toMatchObject({ traceId: TRACE, startTimeUnixNano: String(T0), services: ["api"] });
    expect(BigInt(trace.durationNs)).toBe(2n * MIN + 8n * MS + BigInt(B(40)));
    const client = trace.spans.find((s: { kind: string }) => s.kind === "CLIENT");
    expect(client).toMatchObject({
      spanId: hexId(16, 0x200), parentSpanId: hexId(16, 0x100), startTimeUnixNano: String(T0 + 5n * MS), durationNs: "1000000",
      attributes: { "db.system": "postgresql", retries: 2, ok: true, tags: ["a", "b"] },
      events: [{ timeUnixNano: String(T0 + 6n * MS), name: "exception", attributes: { "exception.message": "boom" }, droppedAttributesCount: 0 }],
      links: [{ traceId: hexId(32, 0x78), spanId: hexId(16, 0x300), traceState: "", attributes: {}, droppedAttributesCount: 0 }],
    });
  });

  it("answers 400, 401 and 404 for a bad ID, no token and an unknown trace", async () => {
    expect((await callRoute(getTraceRoute, { path: "/api/v1/traces/xyz", params: { traceId: "xyz" }, token: reader })).status).toBe(400);
    expect((await callRoute(getTraceRoute, { path: `/api/v1/traces/${TRACE}`, params: { traceId: TRACE } })).status).toBe(401);
    const unknown = hexId(32, 0x99);
    expect((await callRoute(getTraceRoute, { path: `/api/v1/traces/${unknown}`, params: { traceId: unknown }, token: reader })).status).toBe(404);
  });

  it("returns a metric's per-minute aggregates merged across attribute sets", async () => {
    const res = await callRoute(getMetrics, { path: `/api/v1/metrics?name=pool.in_use&service=api&${RANGE}`, token: reader });
    expect(res.status).toBe(200);
    api.metricSeries.response.parse(res.json);
    expect(res.json).toMatchObject({ name: "pool.in_use", service: "api", unit: "1" });
    expect(res.json.points).toEqual([{ at: "2026-11-20T12:00:00.000Z", kind: "gauge", count: 2, sum: 8, min: 3, max: 5, avg: 4, last: 5, deltaTotal: null, ratePerS: null, p50: null, p95: null, p99: null, seriesCount: 2 }]);
    expect((await callRoute(getMetrics, { path: `/api/v1/metrics?${RANGE}`, token: reader })).status).toBe(400);
  });
});
