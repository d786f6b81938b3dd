// API operations for jobs: one job by ID with every span of every attempt across traces, and the job index
// filtered and paged with an opaque cursor.
import { z } from "zod";
import { Cursor, nonEmptyText, queryNumber, ServiceNameText, text, TimeParam } from "./fields";
import type { Operation } from "./contract-types";
import { SpanView } from "./telemetry-contract";

const Nanos = z.string().regex(/^\d+$/);
const Json = z.record(z.string(), z.unknown());
const JobStatus = z.enum(["succeeded", "failed", "running"]);

export const JobView = z
  .object({
    jobId: z.string(), status: JobStatus, attempts: z.number().int(), maxJobAttempt: z.number().int(),
    services: z.array(z.string()), queues: z.array(z.string()), traceIds: z.array(z.string()),
    firstSeenUnixNano: Nanos, lastSeenUnixNano: Nanos, statusTimeUnixNano: Nanos,
    endToEndNs: Nanos.nullable().describe("first span start (the API's accept) to the terminal status; null while running"),
    queueNs: Nanos.nullable().describe("sum over attempts of consumer start − its message's ready time (producer end)"),
    workerNs: Nanos.nullable().describe("sum of the consumer spans' durations"),
    errorMessage: z.string().nullable(), errorTimeUnixNano: Nanos.nullable(),
  })
  .strict();

const JobSpanView = SpanView.extend({ messagingOperation: z.string().nullable(), messagingDestination: z.string().nullable(), attempt: z.number().int().nullable() }).strict();
const JobLogView = z
  .object({ timeUnixNano: Nanos, service: z.string(), severityText: z.string(), severityNumber: z.number(), body: z.unknown(), traceId: z.string().nullable(), spanId: z.string().nullable(), attributes: Json })
  .strict();
const AttemptView = z
  .object({
    attempt: z.number().int(), traceId: z.string(), consumerSpanId: z.string(), service: z.string(), statusCode: z.string(),
    startTimeUnixNano: Nanos, endTimeUnixNano: Nanos, durationNs: Nanos, queueWaitNs: Nanos.nullable(),
  })
  .strict();
const QueueWaitView = z
  .object({ consumerSpanId: z.string(), fromSpanId: z.string(), paired: z.boolean(), readyUnixNano: Nanos, startUnixNano: Nanos, waitNs: Nanos, queue: z.string().nullable() })
  .strict();

// A day in milliseconds times 10,000: far past any job, and in nanoseconds still within bigint.
const MAX_E2E_MS = 864_000_000_000;
const optionalMs = queryNumber({ min: 0, max: MAX_E2E_MS, int: false }).optional();

export const jobsApi = {
  listJobs: {
    method: "GET", path: "/api/v1/jobs", summary: "Jobs from the job index, last seen first, filtered; `nextCursor` fetches the next page", scope: "read",
    query: z.object({
      service: ServiceNameText.optional(),
      status: JobStatus.optional(),
      minAttempts: queryNumber({ min: 1, max: 1_000_000 }).optional(),
      minE2eMs: optionalMs, maxE2eMs: optionalMs,
      from: TimeParam.optional(), to: TimeParam.optional(),
      q: text(200).optional().describe("a job ID prefix, or text in the job's last error message"),
      limit: queryNumber({ min: 1, max: 200 }).default(50),
      cursor: Cursor.optional(),
    }),
    response: z.object({ jobs: z.array(JobView), nextCursor: z.string().nullable() }).strict(),
  },
  getJob: {
    method: "GET", path: "/api/v1/jobs/{id}", summary: "One job: its index row, every span of every attempt across traces (IDs hex, times in ns strings), attempts, queue waits and logs", scope: "read",
    params: z.object({ id: nonEmptyText(1_024) }),
    response: z.object({ job: JobView, attempts: z.array(AttemptView), queueWaits: z.array(QueueWaitView), spans: z.array(JobSpanView), logs: z.array(JobLogView), truncated: z.boolean() }).strict(),
  },
} satisfies Record<string, Operation>;
