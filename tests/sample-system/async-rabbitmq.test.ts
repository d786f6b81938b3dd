// The sample system in async mode on the real RabbitMQ and PostgreSQL: one connected trace per job,
// retries as linked attempts, poison jobs in the DLQ, idempotent replays, backpressure.
// The sample system first: its automatic instrumentation must load before amqplib and pg do.
import { startSampleSystem, type SampleSystemHandle } from "../../sample-system/index";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { connect } from "amqplib";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AmqpJobQueue } from "../../sample-system/queue/amqp-queue";
import { createPostgresDatabase } from "../helpers/postgres";
import { TEST_AMQP_URL, requireServices, uniqueName, waitFor } from "../helpers/services";

const available = await requireServices(["rabbitmq", "postgresql"]);

type Json = Record<string, unknown>;
async function postJob(system: SampleSystemHandle, body: Json, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${system.apiUrl}/v1/jobs`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}
async function getJob(system: SampleSystemHandle, id: string): Promise<Json> {
  return (await (await fetch(`${system.apiUrl}/v1/jobs/${id}`)).json()) as Json;
}
const waitForStatus = (system: SampleSystemHandle, id: string, status: string) => waitFor(() => getJob(system, id), (j) => j.status === status, 20_000);

describe.skipIf(!available)("sample system, async mode on RabbitMQ + PostgreSQL", () => {
  const exporter = new InMemorySpanExporter();
  let system: SampleSystemHandle;
  let db: { url: string; drop(): Promise<void> };
  const queueName = uniqueName("jobs");

  beforeAll(async () => {
    db = await createPostgresDatabase("sample");
    system = await startSampleSystem({
      env: {},
      mode: "async",
      amqpUrl: TEST_AMQP_URL,
      databaseUrl: db.url,
      workerProcesses: false, // in process, so the in-memory exporter sees the workers' spans
      apiPort: 0,
      metricsPort: null,
      otlpEndpoint: null,
      spanExporter: exporter,
      queueName,
      workers: 2,
      gpuSlotsPerWorker: 2,
      serviceTime: { distribution: "fixed", ms: 20 },
      retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 200, jitterRatio: 1 },
      depthPollMs: 100,
    });
  });

  afterAll(async () => {
    await system?.stop();
    if (system?.queue instanceof AmqpJobQueue) await system.queue.deleteTopology().catch(() => undefined);
    const cleanup = await AmqpJobQueue.open({ url: TEST_AMQP_URL, mainQueue: queueName });
    await cleanup.deleteTopology();
    await cleanup.close();
    await db?.drop();
  });

  // Status reads (GET /v1/jobs/:id) carry the job ID too, in traces of their own: left out here.
  const spansOf = (jobId: string): ReadableSpan[] => {
    const spans = exporter.getFinishedSpans().filter((s) => s.attributes["job.id"] === jobId);
    const statusReads = new Set(spans.filter((s) => s.name === "GET /v1/jobs/:id").map((s) => s.spanContext().traceId));
    return spans.filter((s) => !statusReads.has(s.spanContext().traceId));
  };

  it("gives every span of a job its job ID and attempt, in one connected trace from API to worker", async () => {
    const created = await postJob(system, { prompt: "a lighthouse at dusk" });
    expect(created.status).toBe(202);
    const jobId = String(created.body.job_id);
    expect((await waitForStatus(system, jobId, "succeeded")).result_uri).toMatch(/^file:\/\//);

    const spans = await waitFor(async () => spansOf(jobId), (s) => s.some((x) => x.name === "PUT artifacts") && s.some((x) => x.kind === SpanKind.CONSUMER && x.ended), 5000);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    for (const s of spans) expect(s.attributes["job.attempt"], s.name).toBeTypeOf("number");
    expect(new Set(spans.map((s) => s.resource.attributes["service.name"]))).toEqual(new Set(["sample-api", "sample-worker"]));

    const ids = new Set(spans.map((s) => s.spanContext().spanId));
    const roots = spans.filter((s) => !s.parentSpanContext || !ids.has(s.parentSpanContext.spanId));
    expect(roots.map((s) => s.name)).toEqual(["POST /v1/jobs"]); // every other span hangs off it

    const producer = spans.find((s) => s.kind === SpanKind.PRODUCER);
    const consumer = spans.find((s) => s.kind === SpanKind.CONSUMER);
    expect(producer?.attributes).toMatchObject({ "messaging.system": "rabbitmq", "messaging.operation.type": "send", "messaging.destination.name": queueName, "messaging.message.id": `${jobId}#1` });
    expect(consumer?.attributes).toMatchObject({ "messaging.system": "rabbitmq", "messaging.operation.type": "process", "messaging.destination.name": queueName, "messaging.message.id": `${jobId}#1`, "job.attempt": 1 });
    expect(consumer?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
    for (const name of ["queue wait", "gpu inference", "PUT artifacts", "GET feature-store", "INSERT sample_system.jobs", "UPDATE sample_system.jobs"]) {
      expect(spans.map((s) => s.name)).toContain(name);
    }
  });

  it("runs a job that fails twice as three attempts, each linked to the one before", async () => {
    const created = await postJob(system, { prompt: "a red fox", simulate: { transientFailures: 2 } });
    const jobId = String(created.body.job_id);
    const job = await waitForStatus(system, jobId, "succeeded");
    expect(job.attempts).toBe(3);

    const consumers = await waitFor(async () => spansOf(jobId).filter((s) => s.kind === SpanKind.CONSUMER), (c) => c.length === 3, 5000);
    const byAttempt = new Map(consumers.map((s) => [s.attributes["job.attempt"], s]));
    expect([...byAttempt.keys()].sort()).toEqual([1, 2, 3]);
    for (const attempt of [2, 3]) {
      const links = byAttempt.get(attempt)?.links ?? [];
      expect(links.map((l) => l.context.spanId)).toEqual([byAttempt.get(attempt - 1)?.spanContext().spanId]);
    }
    const retryPublishes = spansOf(jobId).filter((s) => s.kind === SpanKind.PRODUCER && String(s.attributes["messaging.destination.name"]).includes(".retry."));
    expect(retryPublishes.map((s) => s.attributes["messaging.destination.name"]).sort()).toEqual([`${queueName}.retry.2`, `${queueName}.retry.3`]);
    expect(new Set(spansOf(jobId).map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it("sends a poison job to the dead-letter queue without retrying it", async () => {
    const created = await postJob(system, { prompt: "an old robot", simulate: { permanentFailure: true } });
    const jobId = String(created.body.job_id);
    expect((await waitForStatus(system, jobId, "dead")).attempts).toBe(1);

    const conn = await connect(TEST_AMQP_URL);
    const ch = await conn.createChannel();
    const dead = await waitFor(async () => ch.get(`${queueName}.dlq`, { noAck: true }), (m) => m !== false, 5000);
    await conn.close();
    expect(dead && dead.properties.headers?.["job-id"]).toBe(jobId);
    expect(dead && String(dead.properties.headers?.["x-dead-letter-reason"])).toBe("permanent failure");
  });

  it("answers an idempotency-key replay with the same job and creates no second one", async () => {
    const body = { prompt: "a bowl of ramen", user_id: "6f1b2a64-8f7e-4c1a-9a57-0d5d4f7a2b10" };
    const headers = { "idempotency-key": uniqueName("key"), "x-client-id": "replaying-client" };
    const first = await postJob(system, body, headers);
    const second = await postJob(system, body, headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.job_id).toBe(first.body.job_id);
    expect(second.body.replayed).toBe(true);
    expect(second.headers.get("idempotent-replayed")).toBe("true");

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const rows = await client.query("SELECT count(*)::int AS n FROM sample_system.jobs WHERE user_id = $1", [body.user_id]);
    await client.end();
    expect(rows.rows[0]?.n).toBe(1);
    const conflict = await postJob(system, { ...body, prompt: "something else" }, headers);
    expect(conflict.status).toBe(422);
  });
});

describe.skipIf(!available)("sample system backpressure on RabbitMQ", () => {
  let system: SampleSystemHandle;
  let db: { url: string; drop(): Promise<void> };
  const queueName = uniqueName("bp");

  beforeAll(async () => {
    db = await createPostgresDatabase("sample_bp");
    // No workers: nothing drains, so the backlog stays where the test puts it.
    system = await startSampleSystem({ env: {}, mode: "async", amqpUrl: TEST_AMQP_URL, databaseUrl: db.url, workers: 0, apiPort: 0, metricsPort: null, otlpEndpoint: null, queueName, backlogLimit: 3, depthPollMs: 100 });
  });
  afterAll(async () => {
    await system?.stop();
    const cleanup = await AmqpJobQueue.open({ url: TEST_AMQP_URL, mainQueue: queueName });
    await cleanup.deleteTopology();
    await cleanup.close();
    await db?.drop();
  });

  it("answers 503 with Retry-After once the backlog reaches its limit", async () => {
    for (let i = 0; i < 3; i++) expect((await postJob(system, { prompt: `job ${i}` })).status).toBe(202);
    await waitFor(async () => system.depth().ready, (n) => n >= 3, 5000);
    const shed = await postJob(system, { prompt: "one too many" });
    expect(shed.status).toBe(503);
    expect(Number(shed.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(shed.body).toMatchObject({ error: { code: "backlog_full" } });
  });
});
