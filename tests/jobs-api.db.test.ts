import { beforeAll, describe, expect, it } from "vitest";
import { GET as getJobRoute } from "../app/api/v1/jobs/[id]/route";
import { GET as listJobsRoute } from "../app/api/v1/jobs/route";
import { api } from "../lib/api/core/contract";
import { openApiDocument } from "../lib/api/core/openapi";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken } from "../lib/auth/store/tokens";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { normaliseLogs } from "../lib/telemetry/core/otlp/normalise-logs";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";
import { hexId, logsRequest, MS, T0, traceRequest, type SpanSpec } from "./helpers/telemetry-fixtures";

const TRACE_A = hexId(32, 0xa1);
const TRACE_B = hexId(32, 0xb1);
const NOW_MS = Number(T0 / MS) + 600_000;
const queue = { "messaging.system": "rabbitmq", "messaging.destination.name": "jobs" };
const id = (n: number) => hexId(16, n);
const at = (ms: number) => T0 + BigInt(ms) * MS;

// Job "job-a": accepted and published by the API (trace A); attempt 1 consumes it in trace A (child of the publish)
// and fails, republishing; attempt 2 consumes the retry in trace B, linked to the retry publish, and succeeds.
const API_SPANS: SpanSpec[] = [
  { service: "api", traceId: TRACE_A, spanId: id(1), name: "POST /jobs", kind: 2, startNs: at(0), durationMs: 40, attributes: { "job.id": "job-a", "http.route": "/jobs" } },
  { service: "api", traceId: TRACE_A, spanId: id(2), parentSpanId: id(1), name: "INSERT jobs", kind: 3, startNs: at(2), durationMs: 6, attributes: { "db.system": "postgresql" } },
  { service: "api", traceId: TRACE_A, spanId: id(3), parentSpanId: id(1), name: "publish jobs", kind: 4, startNs: at(10), durationMs: 5, attributes: { "job.id": "job-a", "messaging.operation.type": "publish", ...queue } },
];
const ATTEMPT_1: SpanSpec[] = [
  { service: "worker", traceId: TRACE_A, spanId: id(4), parentSpanId: id(3), name: "process jobs", kind: 5, startNs: at(1000), durationMs: 1000, error: true, statusMessage: "CUDA out of memory",
    attributes: { "job.id": "job-a", "job.attempt": 1, "messaging.operation.type": "process", ...queue },
    events: [{ timeUnixNano: at(1900), name: "exception", attributes: { "exception.message": "CUDA out of memory" } }] },
  { service: "worker", traceId: TRACE_A, spanId: id(5), parentSpanId: id(4), name: "gpu inference", kind: 1, startNs: at(1010), durationMs: 880 },
  { service: "worker", traceId: TRACE_A, spanId: id(6), parentSpanId: id(4), name: "publish jobs.retry", kind: 4, startNs: at(1990), durationMs: 5, attributes: { "job.id": "job-a", "job.attempt": 2, "messaging.operation.type": "send", ...queue } },
];
const ATTEMPT_2: SpanSpec[] = [
  { service: "worker", traceId: TRACE_B, spanId: id(7), name: "process jobs", kind: 5, startNs: at(3000), durationMs: 500, links: [{ traceId: TRACE_A, spanId: id(6) }],
    attributes: { "job.id": "job-a", "job.attempt": 2, "messaging.operation.type": "process", ...queue } },
  { service: "worker", traceId: TRACE_B, spanId: id(8), parentSpanId: id(7), name: "PUT artifacts", kind: 3, startNs: at(3400), durationMs: 90 },
  // Another job's span in the same trace stays out of job-a's view.
  { service: "worker", traceId: TRACE_B, spanId: id(9), parentSpanId: id(7), name: "other job", kind: 1, startNs: at(3410), durationMs: 1, attributes: { "job.id": "job-z" } },
];

// Jobs for the list: [id, service, failed, attempts, first seen ms, e2e ms].
const LISTED: Array<[string, string, boolean, number, number, number]> = [
  ["list-1", "svc-x", false, 1, 100_000, 200], ["list-2", "svc-x", true, 3, 110_000, 5_000], ["list-3", "svc-y", false, 2, 120_000, 900],
  ["list-4", "svc-y", false, 1, 130_000, 50], ["list-5", "svc-x", true, 1, 140_000, 12_000],
];

function listedSpans(): SpanSpec[] {
  return LISTED.flatMap(([jobId, service, failed, attempts, startMs, e2eMs], j) => [
    { service, traceId: hexId(32, 0x500 + j), spanId: id(0x500 + j * 16), name: "enqueue", kind: 4, startNs: at(startMs), durationMs: 1, attributes: { "job.id": jobId } },
    ...Array.from({ length: attempts }, (_, a): SpanSpec => ({
      service, traceId: hexId(32, 0x500 + j), spanId: id(0x501 + j * 16 + a), parentSpanId: id(0x500 + j * 16), name: "process", kind: 5,
      startNs: at(startMs + e2eMs - (attempts - a) * 10), durationMs: 10, error: failed || a < attempts - 1, statusMessage: failed ? `boom in ${jobId}` : "",
      attributes: { "job.id": jobId, "job.attempt": a + 1 },
    })),
  ]);
}

describeEachDatabase("jobs API", ({ db }) => {
  let reader = "";
  let writer: TelemetryWriter;
  const write = (specs: SpanSpec[]) => writer.writeSpans(normaliseTraces(traceRequest(specs), { nowUnixNano: BigInt(NOW_MS) * MS }).spans);

  beforeAll(async () => {
    installTestApp(db());
    reader = (await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "r", scopes: ["read"] })).secret;
    writer = new TelemetryWriter({ sql: db().sql, concurrency: 1, maxWaitingBatches: 1, nowMs: () => NOW_MS });
    // Out of order: the worker's attempt 2 arrives before the API's publish and attempt 1.
    await write(ATTEMPT_2);
    await write([...ATTEMPT_1, ...API_SPANS]);
    await writer.writeLogs(normaliseLogs(logsRequest("worker", [
      { timeNs: at(3100), body: "uploading result", traceId: TRACE_B, spanId: id(7) },
      { timeNs: at(1500), body: "retrying", attributes: { "job.id": "job-a" } },
      { timeNs: at(3101), body: "someone else's", attributes: { "job.id": "job-z" }, traceId: TRACE_B },
    ]), { nowUnixNano: BigInt(NOW_MS) * MS }).logs);
    await write(listedSpans());
  });

  const getJob = (jobId: string, token = reader) => callRoute(getJobRoute, { path: `/api/v1/jobs/${encodeURIComponent(jobId)}`, params: { id: jobId }, token });
  const list = (query: string) => callRoute(listJobsRoute, { path: `/api/v1/jobs?${query}`, token: reader });

  it("indexes time in queue, time in workers and end-to-end time across traces and batches", async () => {
    const res = await getJob("job-a");
    expect(res.status).toBe(200);
    api.getJob.response.parse(res.json);
    expect(res.json.job).toEqual({
      jobId: "job-a", status: "succeeded", attempts: 2, maxJobAttempt: 2, services: ["api", "worker"], queues: ["jobs"], traceIds: [TRACE_A, TRACE_B],
      firstSeenUnixNano: String(at(0)), lastSeenUnixNano: String(at(3500)), statusTimeUnixNano: String(at(3500)),
      // Accept at 0 → success at 3.5 s; queue: 15 ms → 1000 ms, then the retry publish's end 1995 ms → 3000 ms; work: 1000 + 500 ms.
      endToEndNs: String(3500n * MS), queueNs: String((985n + 1005n) * MS), workerNs: String(1500n * MS),
      errorMessage: "CUDA out of memory", errorTimeUnixNano: String(at(2000)),
    });
  });

  it("re-sent batches change nothing in the job index", async () => {
    const before = (await getJob("job-a")).json.job;
    await write([...ATTEMPT_2, ...API_SPANS]);
    await write(ATTEMPT_1);
    expect((await getJob("job-a")).json.job).toEqual(before);
  });

  it("returns every span of every attempt with attempts, queue waits, links, events and logs", async () => {
    const { json } = await getJob("job-a");
    expect(json.spans.map((s: { spanId: string; attempt: number | null }) => [s.spanId, s.attempt])).toEqual([
      [id(1), null], [id(2), null], [id(3), null], [id(4), 1], [id(5), 1], [id(6), 1], [id(7), 2], [id(8), 2],
    ]);
    expect(json.attempts).toEqual([
      { attempt: 1, traceId: TRACE_A, consumerSpanId: id(4), service: "worker", statusCode: "ERROR", startTimeUnixNano: String(at(1000)), endTimeUnixNano: String(at(2000)), durationNs: String(1000n * MS), queueWaitNs: String(985n * MS) },
      { attempt: 2, traceId: TRACE_B, consumerSpanId: id(7), service: "worker", statusCode: "UNSET", startTimeUnixNano: String(at(3000)), endTimeUnixNano: String(at(3500)), durationNs: String(500n * MS), queueWaitNs: String(1005n * MS) },
    ]);
    expect(json.queueWaits).toEqual([
      { consumerSpanId: id(4), fromSpanId: id(3), paired: true, readyUnixNano: String(at(15)), startUnixNano: String(at(1000)), waitNs: String(985n * MS), queue: "jobs" },
      { consumerSpanId: id(7), fromSpanId: id(6), paired: true, readyUnixNano: String(at(1995)), startUnixNano: String(at(3000)), waitNs: String(1005n * MS), queue: "jobs" },
    ]);
    const attempt2 = json.spans.find((s: { spanId: string }) => s.spanId === id(7));
    expect(attempt2).toMatchObject({ traceId: TRACE_B, kind: "CONSUMER", messagingOperation: "process", messagingDestination: "jobs", links: [{ traceId: TRACE_A, spanId: id(6) }] });
    expect(json.spans.find((s: { spanId: string }) => s.spanId === id(4)).events[0]).toEqual({ timeUnixNano: String(at(1900)), name: "exception", attributes: { "exception.message": "CUDA out of memory" }, droppedAttributesCount: 0 });
    expect(json.logs.map((l: { body: string }) => l.body)).toEqual(["retrying", "uploading result"]);
    expect(json.truncated).toBe(false);
  });

  it("answers 404 for an unknown job, 401 without a token", async () => {
    expect((await getJob("no-such-job")).status).toBe(404);
    expect((await callRoute(getJobRoute, { path: "/api/v1/jobs/job-a", params: { id: "job-a" } })).status).toBe(401);
  });

  it("pages through all jobs newest first with an opaque cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const res = await list(`limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      api.listJobs.response.parse(res.json);
      expect(res.json.jobs.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.jobs.map((j: { jobId: string }) => j.jobId));
      cursor = res.json.nextCursor;
    }
    // job-z ended at 3.411 s, job-a at 3.5 s; the listed jobs at 100–152 s.
    expect(seen).toEqual(["list-5", "list-4", "list-3", "list-2", "list-1", "job-a", "job-z"]);
    expect((await list("cursor=not-a-cursor")).status).toBe(400);
  });

  describe("filters", () => {
    it.each([
      ["service=svc-x", ["list-5", "list-2", "list-1"]],
      ["status=failed", ["list-5", "list-2"]],
      ["status=running", ["job-z"]],
      ["minAttempts=2", ["list-3", "list-2", "job-a"]],
      ["minE2eMs=900&maxE2eMs=5000", ["list-3", "list-2", "job-a"]],
      ["maxE2eMs=200", ["list-4", "list-1"]],
      [`from=${new Date(NOW_MS - 600_000 + 125_000).toISOString()}`, ["list-5", "list-4"]],
      [`from=${NOW_MS - 600_000}&to=${NOW_MS - 600_000 + 105_000}`, ["list-1", "job-a", "job-z"]],
      ["q=list-", ["list-5", "list-4", "list-3", "list-2", "list-1"]],
      ["q=boom%20in%20list-5", ["list-5"]],
      ["q=%25", []],
      ["service=svc-x&status=succeeded", ["list-1"]],
    ])("%s", async (query, expected) => {
      const res = await list(query);
      expect(res.status).toBe(200);
      expect(res.json.jobs.map((j: { jobId: string }) => j.jobId)).toEqual(expected);
    });

    it("refuses a bad status, a bad time and from after to", async () => {
      expect((await list("status=lost")).status).toBe(400);
      expect((await list("from=yesterday")).status).toBe(400);
      expect((await list(`from=${NOW_MS}&to=${NOW_MS - 1}`)).status).toBe(400);
    });
  });
});

describe("jobs API contract", () => {
  it("is in the OpenAPI document with its filters and the read scope", () => {
    const paths = openApiDocument("test").paths as Record<string, Record<string, { operationId: string; "x-tailguard-scope": string; parameters: Array<{ name: string; in: string }> }>>;
    const list = paths["/api/v1/jobs"]?.get;
    expect(list).toMatchObject({ operationId: "listJobs", "x-tailguard-scope": "read" });
    expect(list?.parameters.map((p) => p.name)).toEqual(["service", "status", "minAttempts", "minE2eMs", "maxE2eMs", "from", "to", "q", "limit", "cursor"]);
    expect(paths["/api/v1/jobs/{id}"]?.get).toMatchObject({ operationId: "getJob", "x-tailguard-scope": "read" });
    expect(paths["/api/v1/jobs/{id}"]?.get?.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string", minLength: 1, maxLength: 1024 } }]);
  });
});
