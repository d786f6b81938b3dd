// The jobs read path, for the API and the console alike: one job with every span of every attempt across its
// traces (and their logs), and the job index filtered and paged newest first.
import type { SqlRunner } from "../../db/sql-runner";
import { DomainError } from "../../errors";
import { encodeJobCursor, jobListWhere, type JobListFilter } from "../core/views/job-list-query";
import { attemptOfSpans, jobAttempts, jobQueueWaits, type JobAttempt, type JobQueueWait } from "../core/views/job-timeline";
import { rowToSpan } from "./trace";
import { type TraceLog, type TraceSpan } from "../core/views/trace-view";

type Json = Record<string, unknown>;

export type JobView = {
  jobId: string; status: "succeeded" | "failed" | "running"; attempts: number; maxJobAttempt: number;
  services: string[]; queues: string[]; traceIds: string[];
  firstSeenUnixNano: string; lastSeenUnixNano: string; statusTimeUnixNano: string;
  endToEndNs: string | null; queueNs: string | null; workerNs: string | null;
  errorMessage: string | null; errorTimeUnixNano: string | null;
};

export type JobSpan = TraceSpan & { messagingOperation: string | null; messagingDestination: string | null; attempt: number | null };
export type JobLog = TraceLog & { traceId: string | null };
export type JobDetail = { job: JobView; attempts: JobAttempt[]; queueWaits: JobQueueWait[]; spans: JobSpan[]; logs: JobLog[]; truncated: boolean };
export type JobPage = { jobs: JobView[]; nextCursor: string | null };

const MAX_SPANS = 10_000;
const MAX_JOB_ID_LENGTH = 1_024;
// Spans of the job's traces without a job ID (an API root span, a DB call) may start a little before the job's
// first span or end after its last; the bound keeps the read to the partitions of those days.
const TRACE_SLACK_NS = 3_600n * 1_000_000_000n;

const JOB_COLUMNS = `job_id, status, attempts, max_job_attempt, services, queues, trace_ids, first_seen_ns::text AS first_seen_ns, last_seen_ns::text AS last_seen_ns,
  status_time_ns::text AS status_time_ns, e2e_ns::text AS e2e_ns, queue_ns::text AS queue_ns, worker_ns::text AS worker_ns, error_message, error_time_ns::text AS error_time_ns`;

const SPAN_COLUMNS = `trace_id, span_id, parent_span_id, trace_state, service, service_version, scope_name, name, kind, status_code, status_message,
  start_ns::text AS start_ns, end_ns::text AS end_ns, duration_ns::text AS duration_ns, job_id, job_attempt, messaging_operation, messaging_destination,
  attributes, resource, events, links, dropped_counts`;

const LOG_COLUMNS = "time_ns::text AS time_ns, service, severity_text, severity_number, body, trace_id, span_id, attributes";

function rowToJob(r: Record<string, unknown>): JobView {
  return {
    jobId: r.job_id as string, status: r.status as JobView["status"], attempts: r.attempts as number, maxJobAttempt: r.max_job_attempt as number,
    services: r.services as string[], queues: r.queues as string[], traceIds: r.trace_ids as string[],
    firstSeenUnixNano: r.first_seen_ns as string, lastSeenUnixNano: r.last_seen_ns as string, statusTimeUnixNano: r.status_time_ns as string,
    endToEndNs: r.e2e_ns as string | null, queueNs: r.queue_ns as string | null, workerNs: r.worker_ns as string | null,
    errorMessage: r.error_message as string | null, errorTimeUnixNano: r.error_time_ns as string | null,
  };
}

function jobSpanOfRow(r: Record<string, unknown>): Omit<JobSpan, "attempt"> {
  return { ...rowToSpan(r), messagingOperation: r.messaging_operation as string | null, messagingDestination: r.messaging_destination as string | null };
}

// The job's own spans by job_id, then the other spans of its traces that belong to no job, both bounded to the
// job's time window: with the window's bounds as parameters the planner reads only the partitions of those days
// (planning every retained partition costs more than the separate index-row read that finds the window).
const SPANS_OF_JOB = `(SELECT ${SPAN_COLUMNS} FROM spans WHERE job_id = $1 AND start_ns BETWEEN $3::bigint AND $4::bigint)
  UNION ALL (SELECT ${SPAN_COLUMNS} FROM spans WHERE trace_id = ANY($2::text[]) AND job_id IS NULL AND start_ns BETWEEN $3::bigint AND $4::bigint)
  ORDER BY start_ns, span_id LIMIT ${MAX_SPANS + 1}`;
const LOGS_OF_JOB = `(SELECT ${LOG_COLUMNS} FROM logs WHERE job_id = $1 AND time_ns BETWEEN $3::bigint AND $4::bigint)
  UNION ALL (SELECT ${LOG_COLUMNS} FROM logs WHERE trace_id = ANY($2::text[]) AND job_id IS NULL AND time_ns BETWEEN $3::bigint AND $4::bigint)
  ORDER BY time_ns LIMIT ${MAX_SPANS}`;

type LogRow = { time_ns: string; service: string; severity_text: string; severity_number: number; body: unknown; trace_id: string | null; span_id: string | null; attributes: Json };

/** Job IDs are matched exactly, as sent in `job.id`. */
export async function getJob(sql: SqlRunner, jobId: string): Promise<JobDetail> {
  if (jobId === "" || jobId.length > MAX_JOB_ID_LENGTH) throw new DomainError("invalid", `id: expected 1–${MAX_JOB_ID_LENGTH} characters`, [{ path: "id", message: "not a job ID" }]);
  const [row] = await sql.query<Record<string, unknown>>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE job_id = $1`, [jobId]);
  if (row === undefined) throw new DomainError("not_found", `no job ${jobId} has been seen (or it is past retention)`);
  const job = rowToJob(row);
  const params = [jobId, job.traceIds, String(BigInt(job.firstSeenUnixNano) - TRACE_SLACK_NS), String(BigInt(job.lastSeenUnixNano) + TRACE_SLACK_NS)];
  const [spanRows, logRows] = await Promise.all([sql.query<Record<string, unknown>>(SPANS_OF_JOB, params), sql.query<LogRow>(LOGS_OF_JOB, params)]);
  const stored = spanRows.slice(0, MAX_SPANS).map(jobSpanOfRow);
  const queueWaits = jobQueueWaits(stored);
  const attempts = jobAttempts(stored, queueWaits);
  const attemptOf = attemptOfSpans(stored, attempts);
  return {
    job,
    attempts,
    queueWaits,
    spans: stored.map((s) => ({ ...s, attempt: attemptOf.get(s.spanId) ?? null })),
    logs: logRows.map((l) => ({ timeUnixNano: l.time_ns, service: l.service, severityText: l.severity_text, severityNumber: l.severity_number, body: l.body, traceId: l.trace_id, spanId: l.span_id, attributes: l.attributes })),
    truncated: spanRows.length > MAX_SPANS,
  };
}

/** Jobs matching the filter, last seen first; `nextCursor` continues after the last one returned. */
export async function listJobs(sql: SqlRunner, filter: JobListFilter): Promise<JobPage> {
  const { where, params } = jobListWhere(filter);
  const rows = await sql.query<Record<string, unknown>>(`SELECT ${JOB_COLUMNS} FROM jobs ${where} ORDER BY last_seen_ns DESC, job_id DESC LIMIT ${filter.limit + 1}`, params);
  const jobs = rows.slice(0, filter.limit).map(rowToJob);
  const last = jobs[jobs.length - 1];
  return { jobs, nextCursor: rows.length > filter.limit && last ? encodeJobCursor({ lastSeenUnixNano: BigInt(last.lastSeenUnixNano), jobId: last.jobId }) : null };
}
