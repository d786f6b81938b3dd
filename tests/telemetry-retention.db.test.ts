import { expect, it } from "vitest";
import { engineJobs } from "../engine/catalog";
import type { SqlRunner } from "../lib/db/sql-runner";
import { listPartitions } from "../lib/telemetry/write/partitions";
import { applyTelemetryRetention } from "../lib/telemetry/write/retention";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { normaliseLogs } from "../lib/telemetry/core/otlp/normalise-logs";
import { normaliseMetrics } from "../lib/telemetry/core/otlp/normalise-metrics";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { loadConfig } from "../lib/config/env";
import { createLogger } from "../lib/observability/logger";
import { createMetrics } from "../lib/observability/metrics";
import { describeEachDatabase } from "./helpers/databases";
import { gauge, hexId, logsRequest, metricsRequest, MS, T0, traceRequest } from "./helpers/telemetry-fixtures";

const DAY_MS = 86_400_000;
const T0_MS = Number(T0 / MS); // 2026-11-20T12:00Z
const quiet = createLogger({ level: "error", sink: () => undefined });

/** Writes one span (job `job-<label>`), one log and one gauge point at `atMs`, with the writer's clock there too. */
async function writeAt(sql: SqlRunner, atMs: number, n: number) {
  const writer = new TelemetryWriter({ sql, concurrency: 1, maxWaitingBatches: 1, nowMs: () => atMs });
  const ns = BigInt(atMs) * MS;
  const now = { nowUnixNano: ns };
  await writer.writeSpans(normaliseTraces(traceRequest([{ service: "svc", traceId: hexId(32, n), spanId: hexId(16, n), name: "op", kind: 2, startNs: ns, durationMs: 1, attributes: { "job.id": `job-${n}` } }]), now).spans);
  await writer.writeLogs(normaliseLogs(logsRequest("svc", [{ timeNs: ns, body: `log ${n}` }]), now).logs);
  await writer.writeMetrics(normaliseMetrics(metricsRequest("svc", [gauge("g", [{ timeNs: ns, value: n }])]), now).points);
}

describeEachDatabase("telemetry retention", ({ db }) => {
  it("drops day partitions past each signal's retention and deletes old derived rows", async () => {
    await writeAt(db().sql, T0_MS - 40 * DAY_MS, 40); // 2026-10-11
    await writeAt(db().sql, T0_MS - 10 * DAY_MS, 10); // 2026-11-10
    await writeAt(db().sql, T0_MS - 1 * DAY_MS, 1); // 2026-11-19
    const names = async (t: "spans" | "logs" | "metric_points") => (await listPartitions(db().sql, t)).map((p) => p.name);
    expect(await names("spans")).toEqual(["spans_p20261011", "spans_p20261110", "spans_p20261119"]);

    const summary = await applyTelemetryRetention(db().sql, { now: new Date(T0_MS), retention: { spans: 7, logs: 7, metrics: 30, rollups: 35 } });
    expect(summary.droppedPartitions.sort()).toEqual(["logs_p20261011", "logs_p20261110", "metric_points_p20261011", "spans_p20261011", "spans_p20261110"]);
    expect(summary).toMatchObject({ deletedRollups: 1, deletedMetricAggregates: 1, deletedJobs: 1 });
    expect(await names("spans")).toEqual(["spans_p20261119"]);
    expect(await names("metric_points")).toEqual(["metric_points_p20261110", "metric_points_p20261119"]);
    const jobs = await db().sql.query<{ job_id: string }>(`SELECT job_id FROM jobs ORDER BY job_id`);
    expect(jobs.map((j) => j.job_id)).toEqual(["job-1", "job-10"]);
    expect((await db().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM spans`))[0]?.n).toBe(1);
  });

  it("keeps the partition whose day is still partly inside the retention window", async () => {
    // At 2026-11-27T12:00Z a 7-day retention reaches back to 2026-11-20T12:00Z, so 2026-11-20 stays.
    await writeAt(db().sql, T0_MS, 0x20);
    const summary = await applyTelemetryRetention(db().sql, { now: new Date(T0_MS + 7 * DAY_MS), retention: { spans: 7, logs: 7, metrics: 30, rollups: 35 } });
    expect(summary.droppedPartitions).toEqual(["spans_p20261119", "logs_p20261119"]);
  });

  it("runs as the leader-only engine job", async () => {
    const job = engineJobs.find((j) => j.name === "retention.telemetry");
    expect(job?.leaderOnly).toBe(true);
    const parsed = loadConfig({ NODE_ENV: "test", TELEMETRY_RETENTION_ROLLUPS_DAYS: "40" });
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    const app = { config: parsed.config, metrics: createMetrics(), sessionKey: "k", logger: quiet };
    await job?.run({ db: db(), logger: quiet, now: new Date(T0_MS + 60 * DAY_MS), instanceId: "t", isLeader: true, app });
    expect(await listPartitions(db().sql, "spans")).toEqual([]);
    expect((await db().sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM span_minute_rollups`))[0]?.n).toBe(0);
  });
});
