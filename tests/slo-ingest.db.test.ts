// Ingest feeds SLOs: the write path adds per-SLO minute rollups in the batch's transaction, counts
// a re-sent batch once, and after commit exports the events as tailguard_slo_events_total.
import { expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { createMetrics } from "../lib/observability/metrics";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { createSloCache } from "../lib/slo/store/rollups";
import { recordSloEvents } from "../lib/slo/store/slo-event-metrics";
import { createSlo } from "../lib/slo/store/slos";
import { describeEachDatabase } from "./helpers/databases";
import { cumulativeSum, hexId, metricsRequest, MS, T0, traceRequest } from "./helpers/telemetry-fixtures";
import { normaliseMetrics } from "../lib/telemetry/core/otlp/normalise-metrics";

describeEachDatabase("SLO rollups at ingest", ({ db }) => {
  it("counts matching spans once per minute, and exports them after commit", async () => {
    const slo = await createSlo({ db: db(), actor: SYSTEM_ACTOR }, { name: "checkout-availability", service: "checkout", sli: { kind: "availability", selector: { service: "checkout", spanKind: "server" } }, objectivePercent: "99.9", window: { type: "rolling", durationDays: 7 } });
    const metrics = createMetrics();
    const writer = new TelemetryWriter({
      sql: db().sql,
      concurrency: 1,
      maxWaitingBatches: 1,
      nowMs: () => Number(T0 / MS) + 60_000,
      slos: createSloCache(db()),
      onSloContributions: (c, slos) => recordSloEvents(metrics, c, new Map(slos.map((s) => [s.id, { name: s.definition.name, service: s.definition.service }]))),
    });
    const specs = Array.from({ length: 10 }, (_, i) => ({ service: "checkout", traceId: hexId(32, i + 1), spanId: hexId(16, i + 1), name: "POST /pay", kind: 2, startNs: T0 + BigInt(i) * MS, durationMs: 5, error: i < 2 }));
    specs.push({ service: "checkout", traceId: hexId(32, 99), spanId: hexId(16, 99), name: "SELECT", kind: 3, startNs: T0, durationMs: 1, error: true });
    const { spans } = normaliseTraces(traceRequest(specs), { nowUnixNano: T0 + 60_000n * MS });
    await writer.writeSpans(spans);
    await writer.writeSpans(spans); // re-sent: stored once, counted once

    const rows = await db().prisma.sloMinuteRollup.findMany({ where: { sloId: slo.id } });
    expect(rows.map((r) => ({ minute: r.minute, good: r.good, total: r.total }))).toEqual([{ minute: Number(T0 / (60_000n * MS)), good: 8, total: 10 }]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('tailguard_slo_events_total{slo="checkout-availability",service="checkout",outcome="good"} 8');
    expect(text).toContain('tailguard_slo_events_total{slo="checkout-availability",service="checkout",outcome="bad"} 2');
  });

  it("feeds metric-ratio SLOs from OTLP counters: cumulative values become per-minute increases", async () => {
    const slo = await createSlo({ db: db(), actor: SYSTEM_ACTOR }, { name: "jobs-success", service: "worker", sli: { kind: "metricRatio", good: { metric: "jobs_ok_total", matchers: [] }, total: { metric: "jobs_total", matchers: [] } }, objectivePercent: "99", window: { type: "rolling", durationDays: 7 } });
    const writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 1, nowMs: () => Number(T0 / MS) + 300_000, slos: createSloCache(db()) });
    const minute = 60_000n * MS;
    const at = (m: bigint) => T0 + m * minute + 10n * 1_000_000_000n;
    const points = (name: string, values: number[]) => cumulativeSum(name, T0, values.map((value, i) => ({ timeNs: at(BigInt(i)), value })));
    // The first point of a cumulative series is its baseline; increases: minute 1 +10/+10, minute 2 +5/+8.
    const { points: rows } = normaliseMetrics(metricsRequest("worker", [points("jobs_ok_total", [100, 110, 115]), points("jobs_total", [100, 110, 118])]), { nowUnixNano: T0 + 300n * 1_000_000_000n });
    await writer.writeMetrics(rows);
    const stored = await db().prisma.sloMinuteRollup.findMany({ where: { sloId: slo.id }, orderBy: { minute: "asc" } });
    const first = Number(T0 / minute);
    expect(stored.map((r) => [r.minute - first, r.good, r.total])).toEqual([[1, 10, 10], [2, 5, 8]]);
  });

  it("measures queue wait when the producer span arrived in an earlier batch", async () => {
    const slo = await createSlo({ db: db(), actor: SYSTEM_ACTOR }, { name: "jobs-queue-wait", service: "worker", sli: { kind: "queueWait", destination: "jobs", thresholdMs: 1000 }, objectivePercent: "95", window: { type: "rolling", durationDays: 7 } });
    const writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 1, nowMs: () => Number(T0 / MS) + 300_000, slos: createSloCache(db()) });
    const trace = hexId(32, 500);
    const messaging = { "messaging.system": "rabbitmq", "messaging.destination.name": "jobs" };
    const producers = [1, 2].map((n) => ({ service: "api", traceId: trace, spanId: hexId(16, 500 + n), name: "publish jobs", kind: 4, startNs: T0, durationMs: 1, attributes: messaging }));
    const consumers = [
      { service: "worker", traceId: trace, spanId: hexId(16, 600), parentSpanId: hexId(16, 501), name: "process jobs", kind: 5, startNs: T0 + 500n * MS, durationMs: 10, attributes: messaging },
      { service: "worker", traceId: trace, spanId: hexId(16, 601), parentSpanId: hexId(16, 502), name: "process jobs", kind: 5, startNs: T0 + 5000n * MS, durationMs: 10, attributes: messaging },
    ];
    const now = { nowUnixNano: T0 + 300n * 1_000_000_000n };
    await writer.writeSpans(normaliseTraces(traceRequest(producers), now).spans);
    await writer.writeSpans(normaliseTraces(traceRequest(consumers), now).spans);
    const rows = await db().prisma.sloMinuteRollup.findMany({ where: { sloId: slo.id } });
    expect(rows.map((r) => [r.good, r.total])).toEqual([[1, 2]]);
  });
});
