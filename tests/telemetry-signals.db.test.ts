import { beforeAll, expect, it } from "vitest";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { normaliseLogs } from "../lib/telemetry/core/otlp/normalise-logs";
import { normaliseMetrics } from "../lib/telemetry/core/otlp/normalise-metrics";
import { metricSeries } from "../lib/telemetry/query/metric-series";
import { describeEachDatabase } from "./helpers/databases";
import { cumulativeSum, gauge, hexId, logsRequest, metricsRequest, MS, T0 } from "./helpers/telemetry-fixtures";

const MINUTE = Number(T0 / 60_000_000_000n);
const NOW_MS = Number(T0 / MS) + 300_000;
const now = { nowUnixNano: BigInt(NOW_MS) * MS };
const S = 1000n * MS;

const metricsBatch = () =>
  normaliseMetrics(
    metricsRequest("worker", [
      gauge("queue.depth", [{ timeNs: T0 + 10n * S, value: 10, attributes: { queue: "jobs" } }, { timeNs: T0 + 20n * S, value: 30, attributes: { queue: "jobs" } }]),
      cumulativeSum("jobs.processed", T0 - 60n * S, [{ timeNs: T0 + 10n * S, value: 100 }, { timeNs: T0 + 40n * S, value: 160 }, { timeNs: T0 + 70n * S, value: 175 }]),
    ]),
    now,
  ).points;

describeEachDatabase("telemetry writer: metrics and logs", ({ db }) => {
  let writer: TelemetryWriter;
  beforeAll(() => {
    writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 2, nowMs: () => NOW_MS });
  });

  it("stores points as sent and per-minute aggregates of their deltas", async () => {
    expect(await writer.writeMetrics(metricsBatch())).toEqual({ stored: 5, duplicates: 0, tooOld: 0 });
    const raw = await db().sql.query<{ name: string; kind: string; temporality: string | null; value: number }>(`SELECT name, kind, temporality, value FROM metric_points ORDER BY name, time_ns`);
    expect(raw.map((r) => [r.name, r.temporality, r.value])).toEqual([["jobs.processed", "cumulative", 100], ["jobs.processed", "cumulative", 160], ["jobs.processed", "cumulative", 175], ["queue.depth", null, 10], ["queue.depth", null, 30]]);
    const depth = await metricSeries(db().sql, { name: "queue.depth", service: "worker", fromMinute: MINUTE, toMinute: MINUTE + 5 });
    expect(depth.points).toEqual([{ at: "2026-11-20T12:00:00.000Z", kind: "gauge", count: 2, sum: 40, min: 10, max: 30, avg: 20, last: 30, deltaTotal: null, ratePerS: null, p50: null, p95: null, p99: null, seriesCount: 1 }]);
    // The first cumulative point has no delta; +60 in the first minute, +15 in the next.
    const processed = await metricSeries(db().sql, { name: "jobs.processed", fromMinute: MINUTE, toMinute: MINUTE + 5 });
    expect(processed.points.map((p) => [p.at, p.deltaTotal, p.ratePerS])).toEqual([["2026-11-20T12:00:00.000Z", 60, 1], ["2026-11-20T12:01:00.000Z", 15, 0.25]]);
  });

  it("does not count a re-sent metrics batch again", async () => {
    expect(await writer.writeMetrics(metricsBatch())).toEqual({ stored: 0, duplicates: 5, tooOld: 0 });
    const processed = await metricSeries(db().sql, { name: "jobs.processed", fromMinute: MINUTE, toMinute: MINUTE + 5 });
    expect(processed.points.map((p) => p.deltaTotal)).toEqual([60, 15]);
    const depth = await metricSeries(db().sql, { name: "queue.depth", fromMinute: MINUTE, toMinute: MINUTE + 5 });
    expect(depth.points[0]?.count).toBe(2);
  });

  it("merges a later batch into the stored minute", async () => {
    const more = normaliseMetrics(metricsRequest("worker", [gauge("queue.depth", [{ timeNs: T0 + 50n * S, value: 2, attributes: { queue: "jobs" } }])]), now).points;
    await writer.writeMetrics(more);
    const depth = await metricSeries(db().sql, { name: "queue.depth", fromMinute: MINUTE, toMinute: MINUTE + 5 });
    expect(depth.points[0]).toMatchObject({ count: 3, sum: 42, min: 2, max: 30, avg: 14, last: 2 });
  });

  it("stores log records once, with their trace and span IDs", async () => {
    const batch = () => normaliseLogs(logsRequest("worker", [
      { timeNs: T0 + S, body: "started", traceId: hexId(32, 0xe), spanId: hexId(16, 1), attributes: { "job.id": "j9" } },
      { timeNs: T0 + 2n * S, body: "nul\u0000byte and lone \ud800 surrogate" },
    ]), now).logs;
    await writer.writeLogs(batch());
    await writer.writeLogs(batch());
    const rows = await db().sql.query<{ body: unknown; trace_id: string | null; job_id: string | null; severity_text: string }>(`SELECT body, trace_id, job_id, severity_text FROM logs ORDER BY time_ns`);
    expect(rows).toEqual([
      { body: "started", trace_id: hexId(32, 0xe), job_id: "j9", severity_text: "INFO" },
      { body: "nul\ufffdbyte and lone \ufffd surrogate", trace_id: null, job_id: null, severity_text: "INFO" },
    ]);
  });
});
