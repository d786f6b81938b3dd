import { expect, it } from "vitest";
import { upsertJobs, withQueues } from "../lib/telemetry/write/jobs";
import { deriveJobUpdates } from "../lib/telemetry/core/rollups/job-summary";
import { normaliseTraces, type SpanRow } from "../lib/telemetry/core/otlp/normalise-traces";
import { seededRandom } from "../lib/random/seeded";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, MS, T0, traceRequest, type SpanSpec } from "./helpers/telemetry-fixtures";

// The SQL merge (telemetry-jobs.ts and the job_timings migration's functions) must agree with mergeJobSummary
// whatever the batch order, and re-sending a batch straight to the merge (not filtered by the span insert)
// must not count anything twice.

function jobSpans(random: () => number, job: number): SpanSpec[] {
  const trace = hexId(32, 0x1000 + job);
  const jobId = `merge-${job}`;
  const ms = (n: number) => T0 + BigInt(Math.round(n)) * MS;
  const specs: SpanSpec[] = [
    { service: "api", traceId: trace, spanId: hexId(16, job * 100 + 1), name: "POST /jobs", kind: 2, startNs: ms(0), durationMs: 20, attributes: { "job.id": jobId } },
    { service: "api", traceId: trace, spanId: hexId(16, job * 100 + 2), parentSpanId: hexId(16, job * 100 + 1), name: "publish", kind: 4, startNs: ms(5), durationMs: 3, attributes: { "job.id": jobId } },
  ];
  let t = 10 + random() * 500;
  let producer = hexId(16, job * 100 + 2);
  const attempts = 1 + Math.floor(random() * 4);
  for (let a = 1; a <= attempts; a++) {
    const consumer = hexId(16, job * 100 + 10 + a);
    const duration = 50 + random() * 400;
    const failed = a < attempts || random() < 0.2;
    // Some consumers name their producer as parent, some by a link, some not at all (paired by time).
    const how = random();
    specs.push({
      service: "worker", traceId: trace, spanId: consumer, parentSpanId: how < 0.4 ? producer : undefined, links: how >= 0.4 && how < 0.7 ? [{ traceId: trace, spanId: producer }] : [],
      name: "process", kind: 5, startNs: ms(t), durationMs: duration, error: failed, statusMessage: failed ? `fail ${a}` : "", attributes: { "job.id": jobId, "job.attempt": a },
    });
    if (failed && a < attempts) {
      producer = hexId(16, job * 100 + 50 + a);
      specs.push({ service: "worker", traceId: trace, spanId: producer, parentSpanId: consumer, name: "retry", kind: 4, startNs: ms(t + duration - 2), durationMs: 1, attributes: { "job.id": jobId } });
    }
    t += duration + random() * 1000;
  }
  return specs;
}

const JOB_COLUMNS = `job_id, first_seen_ns::text AS first, last_seen_ns::text AS last, attempts, status, status_time_ns::text AS status_time, consumer_span_ids,
  queue_ns::text AS queue_ns, worker_ns::text AS worker_ns, e2e_ns::text AS e2e_ns, error_message`;

describeEachDatabase("job index merge", ({ db }) => {
  it("agrees with mergeJobSummary for random batch orders, with batches re-sent", async () => {
    const random = seededRandom(11);
    const spans: SpanRow[] = normaliseTraces(traceRequest(Array.from({ length: 12 }, (_, j) => jobSpans(random, j)).flat()), { nowUnixNano: T0 + 600_000n * MS }).spans;
    const shuffled = [...spans].sort(() => random() - 0.5);
    const batches: SpanRow[][] = [];
    for (let i = 0; i < shuffled.length; ) {
      const size = 1 + Math.floor(random() * 6);
      batches.push(shuffled.slice(i, i + size));
      i += size;
    }
    // Every third batch goes in twice: only set semantics keep the sums right.
    for (const [i, batch] of batches.entries()) {
      await db().sql.transaction((tx) => upsertJobs(tx, withQueues(deriveJobUpdates(batch), batch)));
      if (i % 3 === 0) await db().sql.transaction((tx) => upsertJobs(tx, withQueues(deriveJobUpdates(batch), batch)));
    }
    const expected = deriveJobUpdates(spans);
    const rows = await db().sql.query<Record<string, unknown>>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE job_id LIKE 'merge-%' ORDER BY job_id`);
    const str = (n: bigint | null) => (n === null ? null : String(n));
    expect(rows).toEqual(expected.sort((a, b) => (a.jobId < b.jobId ? -1 : 1)).map((j) => ({
      job_id: j.jobId, first: String(j.firstSeenUnixNano), last: String(j.lastSeenUnixNano), attempts: j.attempts, status: j.status, status_time: String(j.statusTimeUnixNano),
      consumer_span_ids: j.consumerSpanIds, queue_ns: str(j.queueNs), worker_ns: str(j.workerNs), e2e_ns: str(j.endToEndNs), error_message: j.errorMessage,
    })));
    // The figures are not all trivially null: most jobs paired every attempt.
    expect(rows.filter((r) => r.queue_ns !== null).length).toBeGreaterThan(8);
  });

  it("keeps the same 64 consumers and producers as mergeJobSummary past the cap", async () => {
    const specs: SpanSpec[] = Array.from({ length: 150 }, (_, i) => ({
      service: "worker", traceId: hexId(32, 0x2000), spanId: hexId(16, 0x2000 + ((i * 37) % 150)), name: i % 2 === 0 ? "process" : "publish", kind: i % 2 === 0 ? 5 : 4,
      startNs: T0 + BigInt(i) * 10n * MS, durationMs: 5, attributes: { "job.id": "capped" },
    }));
    const spans = normaliseTraces(traceRequest(specs), { nowUnixNano: T0 + 600_000n * MS }).spans;
    for (const part of [spans.slice(100), spans.slice(0, 60), spans.slice(40, 120)]) {
      await db().sql.transaction((tx) => upsertJobs(tx, withQueues(deriveJobUpdates(part), part)));
    }
    const [expected] = deriveJobUpdates(spans);
    const [row] = await db().sql.query<Record<string, unknown>>(`SELECT attempts, queue_ns::text AS queue_ns, worker_ns::text AS worker_ns, consumer_timings, producer_ends FROM jobs WHERE job_id = 'capped'`);
    expect(row).toEqual({
      attempts: 64, queue_ns: String(expected?.queueNs), worker_ns: String(expected?.workerNs),
      consumer_timings: Object.fromEntries(expected!.consumers.map((c) => [c.spanId, { s: String(c.startUnixNano), e: String(c.endUnixNano), p: c.parentSpanId, l: c.linkedSpanIds }])),
      producer_ends: Object.fromEntries(expected!.producers.map((p) => [p.spanId, String(p.endUnixNano)])),
    });
    expect(Object.keys(row?.consumer_timings as object)).toHaveLength(64);
  });

  it("gives a new row the queue and worker time tg_job_timings computes from its stored sets", async () => {
    // Each job's spans in one batch: every row is inserted, none merged, so these figures come from the insert alone.
    const random = seededRandom(23);
    const spans = normaliseTraces(traceRequest(Array.from({ length: 12 }, (_, j) => jobSpans(random, 100 + j)).flat()), { nowUnixNano: T0 + 600_000n * MS }).spans;
    await db().sql.transaction((tx) => upsertJobs(tx, withQueues(deriveJobUpdates(spans), spans)));
    const rows = await db().sql.query<{ job_id: string; queue_ns: string | null; worker_ns: string | null; sql_queue_ns: string | null; sql_worker_ns: string | null }>(
      `SELECT j.job_id, j.queue_ns::text AS queue_ns, j.worker_ns::text AS worker_ns, t.queue_ns::text AS sql_queue_ns, t.worker_ns::text AS sql_worker_ns
       FROM jobs j, LATERAL tg_job_timings(consumer_timings, producer_ends) t WHERE j.job_id = ANY($1::text[]) ORDER BY j.job_id`,
      [Array.from({ length: 12 }, (_, j) => `merge-${100 + j}`)],
    );
    expect(rows).toHaveLength(12);
    for (const r of rows) expect([r.queue_ns, r.worker_ns]).toEqual([r.sql_queue_ns, r.sql_worker_ns]);
    expect(rows.filter((r) => r.queue_ns !== null).length).toBeGreaterThan(8);
  });

  it("stores job IDs, services, queues and error messages holding quotes, braces, commas, backslashes and NUL as sent", async () => {
    const awkward = ['a "quoted" {set}, with\\ backslash', "tab\tnew\nline", "nul\u0000byte", "ünï 😀"];
    const specs: SpanSpec[] = awkward.map((text, i) => ({
      service: `svc ${text}`, traceId: hexId(32, 0x3000 + i), spanId: hexId(16, 0x3000 + i), name: "process", kind: 5, startNs: T0 + BigInt(i) * MS, durationMs: 5,
      error: true, statusMessage: text, attributes: { "job.id": `awkward ${text}`, "messaging.destination.name": `q ${text}` },
    }));
    const spans = normaliseTraces(traceRequest(specs), { nowUnixNano: T0 + 600_000n * MS }).spans;
    const written = await db().sql.transaction((tx) => upsertJobs(tx, withQueues(deriveJobUpdates(spans), spans)));
    const clean = (s: string) => s.replace("\u0000", "\ufffd");
    const expected = awkward.map((text) => ({ job_id: clean(`awkward ${text}`), services: [clean(`svc ${text}`)], queues: [clean(`q ${text}`)], error_message: clean(text) }))
      .sort((a, b) => (a.job_id < b.job_id ? -1 : 1));
    expect(await db().sql.query(`SELECT job_id, services, queues, error_message FROM jobs WHERE job_id LIKE 'awkward %' ORDER BY job_id COLLATE "C"`)).toEqual(expected);
    expect(written.map((r) => r.jobId).sort()).toEqual(expected.map((e) => e.job_id));
  });
});
