// The job index write: one upsert per batch that merges each job's summary into its row in SQL, with
// mergeJobSummary's semantics (least/greatest times, capped sorted set unions, status by total order).
import { MAX_JOB_SET_SIZE, type JobSummary } from "../otlp/job-summary";
import type { ConsumerTiming, ProducerTiming } from "../otlp/job-timings";
import type { SpanRow } from "../otlp/normalise-traces";
import { pgJson, pgText, pgTextArray } from "./pg-values";
import type { SqlRunner } from "./sql-runner";

export type JobUpdate = JobSummary & { queues: string[] };

/** The index row as stored: what SLO job contributions are computed from. */
export type JobIndexRow = { jobId: string; firstSeenUnixNano: bigint; status: string; statusTimeUnixNano: bigint; services: string[]; queues: string[] };

/** Adds each job's queues (messaging destinations of its spans) to its summary; sorted by job ID for lock order. */
export function withQueues(summaries: readonly JobSummary[], spans: readonly SpanRow[]): JobUpdate[] {
  const queues = new Map<string, Set<string>>();
  for (const s of spans) {
    if (s.jobId === null || s.messagingDestinationName === null) continue;
    const set = queues.get(s.jobId) ?? new Set<string>();
    set.add(s.messagingDestinationName);
    queues.set(s.jobId, set);
  }
  return summaries
    .map((j) => ({ ...j, queues: [...(queues.get(j.jobId) ?? [])].sort().slice(0, MAX_JOB_SET_SIZE) }))
    .sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
}

const RETURNED = `job_id, first_seen_ns::text AS first_seen_ns, status, status_time_ns::text AS status_time_ns, services, queues`;

const UPSERT_JOBS = `INSERT INTO jobs AS j (job_id, first_seen_ns, last_seen_ns, attempts, max_job_attempt, consumer_span_ids, status, status_time_ns, services, trace_ids, queues, error_message, error_time_ns,
  consumer_timings, producer_ends, queue_ns, worker_ns)
SELECT u.job_id, u.first_seen_ns, u.last_seen_ns, greatest(u.max_job_attempt, cardinality(u.consumer_span_ids::text[])), u.max_job_attempt,
  u.consumer_span_ids::text[], u.status, u.status_time_ns, u.services::text[], u.trace_ids::text[], u.queues::text[], u.error_message, u.error_time_ns,
  u.consumer_timings::jsonb, u.producer_ends::jsonb, t.queue_ns, t.worker_ns
FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int4[], $5::text[], $6::text[], $7::int8[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int8[], $13::text[], $14::text[])
  AS u(job_id, first_seen_ns, last_seen_ns, max_job_attempt, consumer_span_ids, status, status_time_ns, services, trace_ids, queues, error_message, error_time_ns, consumer_timings, producer_ends),
  LATERAL tg_job_timings(u.consumer_timings::jsonb, u.producer_ends::jsonb) t
ON CONFLICT (job_id) DO UPDATE SET
  first_seen_ns = least(j.first_seen_ns, EXCLUDED.first_seen_ns),
  last_seen_ns = greatest(j.last_seen_ns, EXCLUDED.last_seen_ns),
  max_job_attempt = greatest(j.max_job_attempt, EXCLUDED.max_job_attempt),
  consumer_span_ids = tg_set_union(j.consumer_span_ids, EXCLUDED.consumer_span_ids),
  attempts = greatest(j.max_job_attempt, EXCLUDED.max_job_attempt, cardinality(tg_set_union(j.consumer_span_ids, EXCLUDED.consumer_span_ids))),
  status = CASE WHEN tg_job_status_outranks(EXCLUDED.status, EXCLUDED.status_time_ns, j.status, j.status_time_ns) THEN EXCLUDED.status ELSE j.status END,
  status_time_ns = CASE WHEN tg_job_status_outranks(EXCLUDED.status, EXCLUDED.status_time_ns, j.status, j.status_time_ns) THEN EXCLUDED.status_time_ns ELSE j.status_time_ns END,
  services = tg_set_union(j.services, EXCLUDED.services),
  trace_ids = tg_set_union(j.trace_ids, EXCLUDED.trace_ids),
  queues = tg_set_union(j.queues, EXCLUDED.queues),
  -- laterError(prev, update): the later error; on a tie the larger message, prev when equal.
  (error_message, error_time_ns) = (
    SELECT CASE WHEN pick_new THEN EXCLUDED.error_message ELSE j.error_message END, CASE WHEN pick_new THEN EXCLUDED.error_time_ns ELSE j.error_time_ns END
    FROM (SELECT CASE
      WHEN j.error_time_ns IS NULL THEN true
      WHEN EXCLUDED.error_time_ns IS NULL THEN false
      WHEN j.error_time_ns <> EXCLUDED.error_time_ns THEN EXCLUDED.error_time_ns > j.error_time_ns
      ELSE coalesce(j.error_message, '') COLLATE "C" < coalesce(EXCLUDED.error_message, '') COLLATE "C" END AS pick_new) p),
  -- Queue and worker time from the merged sets (tg_job_timings = jobTimings), so a re-sent span adds nothing.
  (consumer_timings, producer_ends, queue_ns, worker_ns) = (
    SELECT m.c, m.p, t.queue_ns, t.worker_ns
    FROM (SELECT tg_merge_consumer_timings(j.consumer_timings, EXCLUDED.consumer_timings) AS c, tg_merge_producer_ends(j.producer_ends, EXCLUDED.producer_ends) AS p) m,
      LATERAL tg_job_timings(m.c, m.p) t),
  updated_at = CURRENT_TIMESTAMP
RETURNING ${RETURNED}`;

type Returned = { job_id: string; first_seen_ns: string; status: string; status_time_ns: string; services: string[]; queues: string[] };

function toRow(r: Returned): JobIndexRow {
  return { jobId: r.job_id, firstSeenUnixNano: BigInt(r.first_seen_ns), status: r.status, statusTimeUnixNano: BigInt(r.status_time_ns), services: r.services, queues: r.queues };
}

/** The consumer_timings cell (see the job_timings migration); nanoseconds as strings so they survive JSON in JavaScript. */
export function consumerTimingsJson(consumers: readonly ConsumerTiming[]): string {
  const out: Record<string, unknown> = {};
  for (const c of consumers) out[c.spanId] = { s: String(c.startUnixNano), e: String(c.endUnixNano), p: c.parentSpanId, l: c.linkedSpanIds };
  return pgJson(out);
}

export function producerEndsJson(producers: readonly ProducerTiming[]): string {
  return pgJson(Object.fromEntries(producers.map((p) => [p.spanId, String(p.endUnixNano)])));
}

/** Locks and reads the current rows of these jobs (for SLO contributions that depend on the change). */
export async function lockJobRows(tx: SqlRunner, jobIds: readonly string[]): Promise<Map<string, JobIndexRow>> {
  if (jobIds.length === 0) return new Map();
  const rows = await tx.query<Returned>(`SELECT ${RETURNED} FROM jobs WHERE job_id = ANY($1::text[]) ORDER BY job_id FOR UPDATE`, [jobIds.map((id) => pgText(id))]);
  return new Map(rows.map((r) => [r.job_id, toRow(r)]));
}

/** Merges the updates into the index; returns the rows as they are after the merge. */
export async function upsertJobs(tx: SqlRunner, jobs: readonly JobUpdate[]): Promise<JobIndexRow[]> {
  if (jobs.length === 0) return [];
  const rows = await tx.query<Returned>(UPSERT_JOBS, [
    jobs.map((j) => pgText(j.jobId)), jobs.map((j) => String(j.firstSeenUnixNano)), jobs.map((j) => String(j.lastSeenUnixNano)),
    jobs.map((j) => j.maxJobAttempt), jobs.map((j) => pgTextArray(j.consumerSpanIds)), jobs.map((j) => j.status),
    jobs.map((j) => String(j.statusTimeUnixNano)), jobs.map((j) => pgTextArray(j.services)), jobs.map((j) => pgTextArray(j.traceIds)),
    jobs.map((j) => pgTextArray(j.queues)), jobs.map((j) => pgText(j.errorMessage)), jobs.map((j) => (j.errorTimeUnixNano === null ? null : String(j.errorTimeUnixNano))),
    jobs.map((j) => consumerTimingsJson(j.consumers)), jobs.map((j) => producerEndsJson(j.producers)),
  ]);
  return rows.map(toRow);
}
