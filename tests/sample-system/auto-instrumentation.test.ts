// Automatic instrumentation in the sample system on the real RabbitMQ, PostgreSQL and Redis: the
// http, pg, amqplib and ioredis spans exist, sit in the job's one trace and carry its job ID, and
// replace (rather than duplicate) the SERVER, PRODUCER and CONSUMER spans the system made by hand.
// The sample system first: its automatic instrumentation must load before amqplib, pg and ioredis do.
import { startSampleSystem, type SampleSystemHandle } from "../../sample-system/index";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AmqpJobQueue } from "../../sample-system/queue/amqp-queue";
import { createPostgresDatabase } from "../helpers/postgres";
import { TEST_AMQP_URL, TEST_REDIS_URL, requireServices, uniqueName, waitFor } from "../helpers/services";

const available = await requireServices(["rabbitmq", "postgresql", "redis"]);

const scopeOf = (s: ReadableSpan) => s.instrumentationScope.name;

describe.skipIf(!available)("sample system automatic instrumentation (http, pg, amqplib, ioredis)", () => {
  const exporter = new InMemorySpanExporter();
  let system: SampleSystemHandle;
  let db: { url: string; drop(): Promise<void> };
  const queueName = uniqueName("auto");

  beforeAll(async () => {
    db = await createPostgresDatabase("sample_auto");
    system = await startSampleSystem({
      env: {},
      mode: "async+cache",
      amqpUrl: TEST_AMQP_URL,
      databaseUrl: db.url,
      redisUrl: TEST_REDIS_URL,
      cacheKeyPrefix: `${queueName}:`,
      workerProcesses: false, // in process, so the in-memory exporter sees the workers' spans
      apiPort: 0,
      metricsPort: null,
      otlpEndpoint: null,
      spanExporter: exporter,
      queueName,
      workers: 1,
      gpuSlotsPerWorker: 2,
      serviceTime: { distribution: "fixed", ms: 20 },
      depthPollMs: 100,
    });
  });

  afterAll(async () => {
    await system?.stop();
    const cleanup = await AmqpJobQueue.open({ url: TEST_AMQP_URL, mainQueue: queueName });
    await cleanup.deleteTopology();
    await cleanup.close();
    await db?.drop();
  });

  it("records http, pg, amqplib and ioredis spans in the job's trace, each with the job ID, without duplicates", async () => {
    const res = await fetch(`${system.apiUrl}/v1/jobs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: `a tidal pool ${queueName}` }) });
    expect(res.status).toBe(202);
    const jobId = String(((await res.json()) as { job_id: string }).job_id);

    const server = await waitFor(async () => exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER && s.attributes["job.id"] === jobId), (s) => s !== undefined, 5000);
    expect(server && scopeOf(server)).toBe("@opentelemetry/instrumentation-http");
    const traceId = server?.spanContext().traceId;
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    // The job is done once the cache fill (ioredis, under the worker's CONSUMER span) has ended.
    const spans = await waitFor(async () => inTrace(), (all) => all.some((s) => s.kind === SpanKind.CONSUMER) && all.some((s) => s.name === "SET result-cache"), 20_000);

    expect(server).toMatchObject({ name: "POST /v1/jobs", attributes: { "http.request.method": "POST", "http.route": "/v1/jobs", "http.response.status_code": 202 } });
    expect(server?.resource.attributes["service.name"]).toBe("sample-api");

    const pgSpans = spans.filter((s) => scopeOf(s) === "@opentelemetry/instrumentation-pg");
    const queries = pgSpans.filter((s) => (s.attributes["db.system.name"] ?? s.attributes["db.system"]) === "postgresql" && String(s.attributes["db.query.text"] ?? "").includes("sample_system.jobs"));
    expect(queries.map((s) => s.resource.attributes["service.name"]).sort()).toContain("sample-api");
    expect(queries.map((s) => s.resource.attributes["service.name"]).sort()).toContain("sample-worker");
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    // pg spans nest under the repository's manual DB span (via its pool-connect span or directly).
    for (const q of queries) {
      let parent = q.parentSpanContext && byId.get(q.parentSpanContext.spanId);
      while (parent && scopeOf(parent) === "@opentelemetry/instrumentation-pg") parent = parent.parentSpanContext && byId.get(parent.parentSpanContext.spanId);
      expect(parent?.name, q.name).toMatch(/^(INSERT|UPDATE|SELECT) sample_system\.jobs$/);
    }

    const amqp = spans.filter((s) => scopeOf(s) === "@opentelemetry/instrumentation-amqplib");
    const producers = spans.filter((s) => s.kind === SpanKind.PRODUCER);
    const consumers = spans.filter((s) => s.kind === SpanKind.CONSUMER);
    expect(producers).toHaveLength(1);
    expect(consumers).toHaveLength(1);
    expect([...producers, ...consumers].every((s) => amqp.includes(s))).toBe(true);
    expect(producers[0]?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(consumers[0]?.parentSpanContext?.spanId).toBe(producers[0]?.spanContext().spanId);
    expect(producers[0]?.attributes).toMatchObject({ "messaging.system": "rabbitmq", "messaging.operation.type": "send", "messaging.destination.name": queueName, "messaging.message.id": `${jobId}#1` });
    expect(consumers[0]?.attributes).toMatchObject({ "messaging.system": "rabbitmq", "messaging.operation.type": "process", "messaging.destination.name": queueName, "job.attempt": 1 });
    expect(consumers[0]?.resource.attributes["service.name"]).toBe("sample-worker");

    const redis = spans.filter((s) => scopeOf(s) === "@opentelemetry/instrumentation-ioredis");
    expect(redis.map((s) => s.attributes["db.operation.name"])).toEqual(expect.arrayContaining(["get", "set"]));
    for (const r of redis) expect(r.attributes["db.system.name"] ?? r.attributes["db.system"]).toBe("redis");

    expect(spans.filter((s) => s.kind === SpanKind.SERVER)).toHaveLength(1);
    for (const s of spans) {
      expect(s.attributes["job.id"], `${scopeOf(s)} ${s.name}`).toBe(jobId);
      expect(s.attributes["job.attempt"], `${scopeOf(s)} ${s.name}`).toBeTypeOf("number");
    }
  });

  it("records nothing for database work outside a job (schema, pollers)", () => {
    const orphans = exporter.getFinishedSpans().filter((s) => scopeOf(s).startsWith("@opentelemetry/instrumentation-") && s.attributes["job.id"] === undefined);
    expect(orphans.map((s) => `${scopeOf(s)} ${s.name}`)).toEqual([]);
  });
});
