import { beforeAll, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import type { SqlRunner } from "../lib/db/sql-runner";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { listPartitions } from "../lib/telemetry/write/partitions";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { createSloCache } from "../lib/slo/store/rollups";
import { createSlo } from "../lib/slo/store/slos";
import { durationBucketIndex } from "../lib/telemetry/core/metrics/duration-buckets";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, MS, T0, traceRequest, type SpanSpec } from "./helpers/telemetry-fixtures";

const TRACE_A = hexId(32, 0xa);
const TRACE_B = hexId(32, 0xb);
const MINUTE = Number(T0 / 60_000_000_000n);
const queue = { "messaging.system": "rabbitmq", "messaging.destination.name": "jobs" };

// One job: accepted by the API, published, failed once on the worker (attempt 1), then succeeded (attempt 2).
const JOB_SPANS: SpanSpec[] = [
  { service: "api", traceId: TRACE_A, spanId: hexId(16, 1), name: "POST /jobs", kind: 2, startNs: T0, durationMs: 100, attributes: { "job.id": "j1", "http.route": "/jobs", "http.response.status_code": 202 } },
  { service: "api", traceId: TRACE_A, spanId: hexId(16, 2), parentSpanId: hexId(16, 1), name: "jobs publish", kind: 4, startNs: T0 + 10n * MS, durationMs: 5, attributes: { "job.id": "j1", "messaging.operation.type": "publish", ...queue } },
  { service: "worker", traceId: TRACE_B, spanId: hexId(16, 3), name: "jobs process", kind: 5, startNs: T0 + 1000n * MS, durationMs: 2000, error: true, statusMessage: "CUDA OOM", attributes: { "job.id": "j1", "job.attempt": 1, "messaging.operation.type": "process", ...queue }, links: [{ traceId: TRACE_A, spanId: hexId(16, 2) }] },
  { service: "worker", traceId: TRACE_B, spanId: hexId(16, 4), name: "jobs process", kind: 5, startNs: T0 + 5000n * MS, durationMs: 1500, attributes: { "job.id": "j1", "job.attempt": 2, "messaging.operation.type": "process", ...queue } },
];

const NOW_MS = Number(T0 / MS) + 60_000;
const spansOf = (specs: SpanSpec[]) => normaliseTraces(traceRequest(specs), { nowUnixNano: BigInt(NOW_MS) * MS }).spans;

/** A real runner that fails the statement matching `pattern`, to prove a batch is all or nothing. */
function failingOn(sql: SqlRunner, pattern: RegExp): SqlRunner {
  const wrap = (inner: SqlRunner): SqlRunner => ({
    ...inner,
    query: async (text, params) => {
      if (pattern.test(text)) throw new Error("injected failure");
      return inner.query(text, params);
    },
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
  });
  return wrap(sql);
}

describeEachDatabase("telemetry writer", ({ db }) => {
  let writer: TelemetryWriter;
  const count = async (sql: string) => Number((await db().sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${sql}`))[0]?.n);
  let availabilitySlo = "";
  let jobSlo = "";

  beforeAll(async () => {
    const base = { objectivePercent: "99", window: { type: "rolling", durationDays: 30 }, alertPolicy: {} };
    availabilitySlo = (await createSlo({ db: db(), actor: SYSTEM_ACTOR }, { ...base, name: "api-avail", service: "api", sli: { kind: "availability", selector: { service: "api" } } })).id;
    jobSlo = (await createSlo({ db: db(), actor: SYSTEM_ACTOR }, { ...base, name: "jobs-5s", service: "worker", sli: { kind: "jobCompletion", queue: "jobs", thresholdMs: 10_000 } })).id;
    writer = new TelemetryWriter({ sql: db().sql, concurrency: 2, maxWaitingBatches: 4, slos: createSloCache(db()), nowMs: () => NOW_MS });
  });

  it("stores spans, rollups, the job index and SLO minutes from one batch", async () => {
    expect(await writer.writeSpans(spansOf(JOB_SPANS))).toEqual({ stored: 4, duplicates: 0, tooOld: 0 });
    const span = (await db().sql.query<Record<string, unknown>>(`SELECT * FROM spans WHERE span_id = $1`, [hexId(16, 3)]))[0];
    expect(span).toMatchObject({
      trace_id: TRACE_B, service: "worker", kind: "CONSUMER", status_code: "ERROR", status_message: "CUDA OOM", job_id: "j1", job_attempt: 1,
      messaging_destination: "jobs", messaging_operation: "process", links: [{ traceId: TRACE_A, spanId: hexId(16, 2), traceState: "", attributes: {}, droppedAttributesCount: 0 }],
    });
    expect(String(span?.duration_ns)).toBe("2000000000");

    const rollups = await db().sql.query<Record<string, unknown>>(`SELECT service, name, kind, minute, count::int, error_count::int, duration_sum_ns, duration_max_ns::text, buckets FROM span_minute_rollups ORDER BY service, name`);
    expect(rollups.map((r) => [r.service, r.name, r.kind, r.minute, r.count, r.error_count, r.duration_sum_ns, r.duration_max_ns])).toEqual([
      ["api", "POST /jobs", "SERVER", MINUTE, 1, 0, 100e6, "100000000"],
      ["api", "jobs publish", "PRODUCER", MINUTE, 1, 0, 5e6, "5000000"],
      ["worker", "jobs process", "CONSUMER", MINUTE, 2, 1, 3500e6, "2000000000"],
    ]);
    const workerBuckets = rollups[2]?.buckets as number[];
    expect(workerBuckets[durationBucketIndex(2000e6)]).toBe(1);
    expect(workerBuckets[durationBucketIndex(1500e6)]).toBe(1);
    expect(workerBuckets.reduce((a, b) => a + b, 0)).toBe(2);

    const job = (await db().sql.query<Record<string, unknown>>(
      `SELECT first_seen_ns::text, last_seen_ns::text, attempts, max_job_attempt, consumer_span_ids, status, status_time_ns::text, services, trace_ids, queues, error_message, error_time_ns::text FROM jobs WHERE job_id = 'j1'`,
    ))[0];
    expect(job).toEqual({
      first_seen_ns: String(T0), last_seen_ns: String(T0 + 6500n * MS), attempts: 2, max_job_attempt: 2, consumer_span_ids: [hexId(16, 3), hexId(16, 4)],
      status: "succeeded", status_time_ns: String(T0 + 6500n * MS), services: ["api", "worker"], trace_ids: [TRACE_A, TRACE_B], queues: ["jobs"],
      error_message: "CUDA OOM", error_time_ns: String(T0 + 3000n * MS),
    });
    // Availability counts the two api spans; the job finished in 6.5 s ≤ 10 s after failing once: one good job.
    const slo = await db().sql.query<{ slo_id: string; minute: number; good: number; total: number }>(`SELECT slo_id, minute, good, total FROM slo_minute_rollups ORDER BY total DESC`);
    expect(slo).toEqual([{ slo_id: availabilitySlo, minute: MINUTE, good: 2, total: 2 }, { slo_id: jobSlo, minute: MINUTE, good: 1, total: 1 }]);
  });

  it("stores a re-sent batch once: no new rows, rollups and SLO minutes unchanged", async () => {
    expect(await writer.writeSpans(spansOf(JOB_SPANS))).toEqual({ stored: 0, duplicates: 4, tooOld: 0 });
    expect(await writer.writeSpans(spansOf([...JOB_SPANS.slice(0, 1), ...JOB_SPANS.slice(0, 1)]))).toEqual({ stored: 0, duplicates: 2, tooOld: 0 });
    expect(await count("spans")).toBe(4);
    expect(await count("span_minute_rollups WHERE count = 1")).toBe(2);
    expect((await db().sql.query<{ t: number }>(`SELECT sum(total) AS t FROM slo_minute_rollups`))[0]?.t).toBe(3);
  });

  it("re-counts a job that changes outcome: the old contribution is taken back", async () => {
    // A third attempt fails after the success: the job now ends failed, in a later minute.
    const late = { ...JOB_SPANS[3]!, spanId: hexId(16, 5), startNs: T0 + 61_000n * MS, durationMs: 100, error: true, attributes: { ...JOB_SPANS[3]!.attributes, "job.attempt": 3 } };
    await writer.writeSpans(spansOf([late]));
    const rows = await db().sql.query<{ minute: number; good: number; total: number }>(`SELECT minute, good, total FROM slo_minute_rollups WHERE slo_id = $1 ORDER BY minute`, [jobSlo]);
    expect(rows).toEqual([{ minute: MINUTE, good: 0, total: 0 }, { minute: MINUTE + 1, good: 0, total: 1 }]);
    const job = (await db().sql.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM jobs WHERE job_id = 'j1'`))[0];
    expect(job).toEqual({ status: "failed", attempts: 3 });
  });

  it("stores nothing of a batch whose transaction fails", async () => {
    const failing = new TelemetryWriter({ sql: failingOn(db().sql, /INSERT INTO jobs/), concurrency: 1, maxWaitingBatches: 1, nowMs: () => NOW_MS });
    const fresh = JOB_SPANS.map((s, i) => ({ ...s, traceId: hexId(32, 0xc), spanId: hexId(16, 0x10 + i), attributes: { ...s.attributes, "job.id": "j2" } }));
    await expect(failing.writeSpans(spansOf(fresh))).rejects.toThrow(/injected failure/);
    expect(await count(`spans WHERE trace_id = '${hexId(32, 0xc)}'`)).toBe(0);
    expect(await count(`jobs WHERE job_id = 'j2'`)).toBe(0);
    expect(await count("span_minute_rollups WHERE count > 2")).toBe(0);
  });

  it("creates one partition per UTC day and puts spans either side of midnight in their own", async () => {
    const midnight = 1_795_219_200_000n * MS; // 2026-11-21T00:00:00Z
    const specs: SpanSpec[] = [
      { service: "nightly", traceId: hexId(32, 0xd), spanId: hexId(16, 0x21), name: "before", kind: 2, startNs: midnight - 1n, durationMs: 1 },
      { service: "nightly", traceId: hexId(32, 0xd), spanId: hexId(16, 0x22), name: "after", kind: 2, startNs: midnight, durationMs: 1 },
    ];
    const nightWriter = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 1, nowMs: () => Number(midnight / MS) + 3_600_000 });
    expect((await nightWriter.writeSpans(spansOf(specs))).stored).toBe(2);
    expect((await listPartitions(db().sql, "spans")).map((p) => p.name)).toEqual(expect.arrayContaining(["spans_p20261120", "spans_p20261121"]));
    const placed = await db().sql.query<{ p: string; name: string }>(`SELECT tableoid::regclass::text AS p, name FROM spans WHERE service = 'nightly' ORDER BY name DESC`);
    expect(placed).toEqual([{ p: "spans_p20261120", name: "before" }, { p: "spans_p20261121", name: "after" }]);
  });

  it("stores a span whose name and attributes hold NUL characters and lone surrogates instead of failing the batch", async () => {
    const odd = { ...JOB_SPANS[0]!, spanId: hexId(16, 0x40), name: "bad\u0000name", attributes: { "job.id": "j\u0000x", note: "lone \ud800" } };
    expect((await writer.writeSpans(spansOf([odd]))).stored).toBe(1);
    const row = (await db().sql.query<{ name: string; job_id: string; attributes: Record<string, string> }>(`SELECT name, job_id, attributes FROM spans WHERE span_id = $1`, [hexId(16, 0x40)]))[0];
    expect(row).toEqual({ name: "bad\ufffdname", job_id: "j\ufffdx", attributes: { "job.id": "j\ufffdx", note: "lone \ufffd" } });
  });

  it("refuses spans older than the retention period instead of creating a partition for them", async () => {
    const old = { ...JOB_SPANS[0]!, spanId: hexId(16, 0x30), startNs: T0 - 8n * 86_400_000n * MS };
    expect(await writer.writeSpans(spansOf([old]))).toEqual({ stored: 0, duplicates: 0, tooOld: 1 });
    expect((await listPartitions(db().sql, "spans")).map((p) => p.name)).not.toContain("spans_p20261112");
  });
});
