// Derives per-job index updates from spans and merges them so batches may arrive in any order, or twice.
//
// `mergeJobSummary` is commutative, associative and idempotent: min/max for times and attempts, sorted set
// unions for services, traces and consumer spans, and a total order for the status. Counting attempts by the
// set of consumer span IDs (not a running count) is what makes a re-delivered batch harmless; queue and worker
// time are likewise recomputed from the merged consumer and producer sets (job-timings.ts), never added up.
import { stringAttribute } from "../otlp/attributes";
import { isConsumerSpan, isProducerSpan, jobTimings, mergeConsumerTimings, mergeProducerTimings, type ConsumerTiming, type ProducerTiming } from "./job-timings";
import type { SpanRow } from "../otlp/normalise-traces";

export type JobStatus = "succeeded" | "failed" | "running";

export interface JobSummary {
  jobId: string;
  firstSeenUnixNano: bigint;
  lastSeenUnixNano: bigint;
  /** max(highest `job.attempt` seen, distinct consumer spans seen). */
  attempts: number;
  maxJobAttempt: number;
  consumerSpanIds: string[];
  status: JobStatus;
  /** When the observation behind `status` happened (its span's end). */
  statusTimeUnixNano: bigint;
  services: string[];
  traceIds: string[];
  errorMessage: string | null;
  errorTimeUnixNano: bigint | null;
  consumers: ConsumerTiming[];
  producers: ProducerTiming[];
  /** Sum over attempts of (consumer start − its message's ready time); null until one consumer could be paired. */
  queueNs: bigint | null;
  /** Sum of the (outermost) consumer spans' durations; null without consumer spans. */
  workerNs: bigint | null;
  /** First span start (the API's accept) to the terminal status; null while the job runs. */
  endToEndNs: bigint | null;
}

/** Bounds the per-job sets; a job with more consumer spans than this reports at least this many attempts. */
export const MAX_JOB_SET_SIZE = 64;

const SUCCEEDED = new Set(["succeeded", "success", "successful", "completed", "complete", "done", "ok"]);
const FAILED = new Set(["failed", "failure", "error", "errored", "dead", "dead_lettered", "dlq", "cancelled", "canceled", "timeout", "timed_out"]);

/** An explicit `job.status` wins; else a consumer (processing) span's outcome is terminal; other spans say "running". */
function spanJobStatus(span: SpanRow): JobStatus {
  const declared = stringAttribute(span.attributes, "job.status")?.toLowerCase();
  if (declared !== undefined) return SUCCEEDED.has(declared) ? "succeeded" : FAILED.has(declared) ? "failed" : "running";
  if (!isConsumerSpan(span)) return "running";
  return span.statusCode === "ERROR" ? "failed" : "succeeded";
}

function exceptionMessage(span: SpanRow): string | null {
  for (const event of span.events) {
    if (event.name === "exception") return stringAttribute(event.attributes, "exception.message");
  }
  return null;
}

type JobFacts = Omit<JobSummary, "queueNs" | "workerNs" | "endToEndNs">;

/** The derived figures: queue and worker time from the consumer and producer sets, end to end from the status. */
function withTimings(facts: JobFacts): JobSummary {
  return { ...facts, ...jobTimings(facts.consumers, facts.producers), endToEndNs: endToEnd(facts.status, facts.firstSeenUnixNano, facts.statusTimeUnixNano) };
}

/** The summary one span implies about its job; null for spans without a job ID. */
export function spanToJobSummary(span: SpanRow): JobSummary | null {
  const facts = spanToJobFacts(span);
  return facts === null ? null : withTimings(facts);
}

function spanToJobFacts(span: SpanRow): JobFacts | null {
  if (span.jobId === null) return null;
  const failedSpan = span.statusCode === "ERROR";
  const maxJobAttempt = span.jobAttempt ?? 0;
  const consumer = isConsumerSpan(span);
  const consumerSpanIds = consumer ? [span.spanId] : [];
  const consumers: ConsumerTiming[] = consumer
    ? [{ spanId: span.spanId, startUnixNano: span.startTimeUnixNano, endUnixNano: span.endTimeUnixNano, parentSpanId: span.parentSpanId, linkedSpanIds: [...new Set(span.links.map((l) => l.spanId))].sort() }]
    : [];
  const producers: ProducerTiming[] = isProducerSpan(span) ? [{ spanId: span.spanId, endUnixNano: span.endTimeUnixNano }] : [];
  const status = spanJobStatus(span);
  return {
    jobId: span.jobId,
    firstSeenUnixNano: span.startTimeUnixNano,
    lastSeenUnixNano: span.endTimeUnixNano,
    attempts: Math.max(maxJobAttempt, consumerSpanIds.length),
    maxJobAttempt,
    consumerSpanIds,
    status,
    statusTimeUnixNano: span.endTimeUnixNano,
    services: [span.serviceName],
    traceIds: [span.traceId],
    errorMessage: failedSpan ? span.statusMessage || exceptionMessage(span) || "error" : null,
    errorTimeUnixNano: failedSpan ? span.endTimeUnixNano : null,
    consumers,
    producers,
  };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort().slice(0, MAX_JOB_SET_SIZE);
}

/** Terminal beats running; then the later observation; on a tie, failed beats succeeded. */
function statusOutranks(a: JobFacts, b: JobFacts): boolean {
  const terminal = (s: JobFacts): number => (s.status === "running" ? 0 : 1);
  if (terminal(a) !== terminal(b)) return terminal(a) > terminal(b);
  if (a.statusTimeUnixNano !== b.statusTimeUnixNano) return a.statusTimeUnixNano > b.statusTimeUnixNano;
  return a.status === "failed" && b.status !== "failed";
}

function laterError<T extends JobFacts>(a: T, b: T): T {
  if (a.errorTimeUnixNano === null) return b;
  if (b.errorTimeUnixNano === null) return a;
  if (a.errorTimeUnixNano !== b.errorTimeUnixNano) return a.errorTimeUnixNano > b.errorTimeUnixNano ? a : b;
  return (a.errorMessage ?? "") >= (b.errorMessage ?? "") ? a : b;
}

function endToEnd(status: JobStatus, firstSeenUnixNano: bigint, statusTimeUnixNano: bigint): bigint | null {
  return status === "running" ? null : statusTimeUnixNano - firstSeenUnixNano;
}

export function mergeJobSummary(prev: JobSummary, update: JobSummary): JobSummary {
  return withTimings(mergeJobFacts(prev, update));
}

function mergeJobFacts(prev: JobFacts, update: JobFacts): JobFacts {
  const statusFrom = statusOutranks(update, prev) ? update : prev;
  const errorFrom = laterError(prev, update);
  const consumerSpanIds = union(prev.consumerSpanIds, update.consumerSpanIds);
  const maxJobAttempt = Math.max(prev.maxJobAttempt, update.maxJobAttempt);
  const firstSeenUnixNano = prev.firstSeenUnixNano < update.firstSeenUnixNano ? prev.firstSeenUnixNano : update.firstSeenUnixNano;
  const consumers = mergeConsumerTimings(prev.consumers, update.consumers);
  const producers = mergeProducerTimings(prev.producers, update.producers);
  return {
    jobId: prev.jobId,
    firstSeenUnixNano,
    lastSeenUnixNano: prev.lastSeenUnixNano > update.lastSeenUnixNano ? prev.lastSeenUnixNano : update.lastSeenUnixNano,
    attempts: Math.max(maxJobAttempt, consumerSpanIds.length),
    maxJobAttempt,
    consumerSpanIds,
    status: statusFrom.status,
    statusTimeUnixNano: statusFrom.statusTimeUnixNano,
    services: union(prev.services, update.services),
    traceIds: union(prev.traceIds, update.traceIds),
    errorMessage: errorFrom.errorMessage,
    errorTimeUnixNano: errorFrom.errorTimeUnixNano,
    consumers,
    producers,
  };
}

/** One merged summary per job ID found in `spans`, in first-seen order of the batch. */
export function deriveJobUpdates(spans: readonly SpanRow[]): JobSummary[] {
  // Merge the facts span by span, derive the timings once per job: the same result as folding mergeJobSummary.
  const byJob = new Map<string, JobFacts>();
  for (const span of spans) {
    const single = spanToJobFacts(span);
    if (single === null) continue;
    const prev = byJob.get(single.jobId);
    byJob.set(single.jobId, prev === undefined ? single : mergeJobFacts(prev, single));
  }
  return [...byJob.values()].map(withTimings);
}
