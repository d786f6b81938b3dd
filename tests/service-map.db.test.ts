// The service map read over rollups written by the real write path: API → queue → worker → database, with an open
// signal on the queue and an SLO on the API, through the route handler so every answer is checked against the contract.
import { beforeAll, expect, it } from "vitest";
import { GET as getMap } from "../app/api/v1/map/route";
import { api } from "../lib/api/core/contract";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { createSlo } from "../lib/slo/store/slos";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, MS, T0, traceRequest, type SpanSpec } from "./helpers/telemetry-fixtures";

const S = 1000n * MS;
const RANGE = "from=2026-11-20T12:00:00Z&to=2026-11-20T12:03:00Z"; // 180 s
const queue = { "messaging.system": "rabbitmq", "messaging.destination.name": "orders" };

/** Job i, 10 s apart: the API answers a request and publishes, the worker consumes (job 0 fails) and inserts a row. */
function job(i: number): SpanSpec[] {
  const trace = hexId(32, 0x5000 + i);
  const at = T0 + BigInt(i) * 10n * S;
  const id = (n: number) => hexId(16, 0x5000 + i * 4 + n);
  return [
    { service: "api", traceId: trace, spanId: id(0), name: "POST /orders", kind: 2, startNs: at, durationMs: 20 },
    { service: "api", traceId: trace, spanId: id(1), parentSpanId: id(0), name: "orders publish", kind: 4, startNs: at + MS, durationMs: 2, attributes: { "messaging.operation.type": "send", ...queue } },
    { service: "worker", traceId: trace, spanId: id(2), parentSpanId: id(1), name: "orders process", kind: 5, startNs: at + 50n * MS, durationMs: 100, error: i === 0, attributes: { "messaging.operation.type": "process", ...queue } },
    { service: "worker", traceId: trace, spanId: id(3), parentSpanId: id(2), name: "INSERT orders", kind: 3, startNs: at + 60n * MS, durationMs: 5, attributes: { "db.system": "postgresql" } },
  ];
}

describeEachDatabase("service map", ({ db }) => {
  let reader = "";
  beforeAll(async () => {
    installTestApp(db());
    reader = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "map", scopes: ["read"] })).secret;
    const nowMs = Number(T0 / MS) + 600_000;
    const writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 1, nowMs: () => nowMs });
    await writer.writeSpans(normaliseTraces(traceRequest([0, 1, 2, 3, 4, 5].flatMap(job)), { nowUnixNano: BigInt(nowMs) * MS }).spans);
    const signal = (phase: string, resource: string) => ({
      fingerprint: `f-${resource}`, kind: "saturation", resource, services: ["worker"], severity: "critical", phase, summary: `${resource} is saturated`,
      reasonCodes: [], evidence: {}, state: {}, firstSeenAt: new Date(nowMs), openedAt: new Date(nowMs), resolvedAt: phase === "resolved" ? new Date(nowMs) : null, updatedAt: new Date(nowMs),
    });
    await db().prisma.signal.create({ data: signal("open", "orders") });
    await db().prisma.signal.create({ data: signal("resolved", "worker->postgresql") });
    await createSlo({ db: db(), actor: SYSTEM_ACTOR, requestId: "test" }, {
      name: "orders-availability", service: "api", sli: { kind: "availability", selector: { service: "api", spanKind: "server" } }, objectivePercent: 99, window: { type: "rolling", durationDays: 28 },
    });
  });

  const call = (query: string) => callRoute(getMap, { path: `/api/v1/map?${query}`, token: reader });

  it("draws API → queue → worker → database with figures from the rollups, the open signal and the SLO state", async () => {
    const res = await call(RANGE);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const map = api.getServiceMap.response.parse(res.json);
    expect(map.range).toEqual({ from: "2026-11-20T12:00:00.000Z", to: "2026-11-20T12:03:00.000Z" });
    expect(map.services).toEqual(["api", "worker"]);
    expect(map.nodes.map((n) => n.id)).toEqual(["service:api", "service:worker", "queue:orders", "dependency:postgresql"]);
    // Six jobs in 180 s; the first consume failed; each consume took 100 ms and each insert 5 ms.
    expect(map.nodes[0]).toMatchObject({ requestRatePerS: 6 / 180, errorRatio: 0, slos: [{ name: "orders-availability", state: "no data" }], signals: [] });
    expect(map.nodes[2]).toMatchObject({ arrivalRatePerS: 6 / 180, completionRatePerS: 6 / 180, backlogChange: 0, errorRatio: 1 / 6, meanMs: expect.closeTo(100, 6) });
    expect(map.nodes[2]!.signals).toEqual([{ id: expect.any(String), kind: "saturation", severity: "critical", summary: "orders is saturated" }]);
    expect(map.nodes[3]).toMatchObject({ kind: "dependency", ratePerS: 6 / 180, errorRatio: 0, meanMs: expect.closeTo(5, 6), missRatio: null });
    expect(map.edges.map((e) => [e.id, e.signals.length])).toEqual([
      ["call:service:worker->dependency:postgresql", 0], // its retry-storm signal is resolved: no colour
      ["consume:queue:orders->service:worker", 0],
      ["publish:service:api->queue:orders", 0],
    ]);
    const x = (id: string) => map.layout.nodes.find((n) => n.id === id)!.x;
    expect([x("service:api"), x("queue:orders"), x("service:worker")]).toEqual([...[x("service:api"), x("queue:orders"), x("service:worker")]].sort((a, b) => a - b));
    expect(x("service:worker")).toBeLessThan(x("dependency:postgresql"));
    expect(map.layout.edges).toHaveLength(3);
  });

  it("keeps one service's neighbourhood and still names every service for the filter", async () => {
    const res = await call(`${RANGE}&service=api`);
    expect(res.status).toBe(200);
    expect(res.json.service).toBe("api");
    expect(res.json.services).toEqual(["api", "worker"]);
    expect(res.json.nodes.map((n: { id: string }) => n.id)).toEqual(["service:api", "service:worker", "queue:orders"]);
    expect((await call(`${RANGE}&service=nobody`)).json.nodes).toEqual([]);
  });

  it("is empty over a range without data", async () => {
    const res = await call("from=2026-11-19T12:00:00Z&to=2026-11-19T13:00:00Z");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ services: [], nodes: [], edges: [], layout: { width: 0, height: 0, nodes: [], edges: [] } });
  });

  it.each([
    ["from=yesterday", "from"],
    ["from=2026-11-20T12:03:00Z&to=2026-11-20T12:00:00Z", "from"],
    ["service=", "service"],
    ["service=%20", "service"],
  ])("refuses %s with a 400 naming the field", async (query, field) => {
    const res = await call(query);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json.error)).toContain(field);
  });
});
