// End to end: the official OTLP/HTTP protobuf exporter sends to the real receiver, whose sink stores through the
// telemetry writer; the spans read back exactly through the read side, and an overloaded writer answers 503.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SpanView } from "../lib/api/core/telemetry-contract";
import { loadConfig } from "../lib/config/env";
import type { SqlRunner } from "../lib/db/sql-runner";
import { TelemetryWriter } from "../lib/telemetry/write/writer";
import { ByteBudget } from "../lib/telemetry/receive/byte-budget";
import { createOtlpHttpServer } from "../lib/telemetry/receive/http-receiver";
import { createTelemetrySink, spanLimitsFromConfig } from "../lib/telemetry/receive/store-sink";
import { createLogger } from "../lib/observability/logger";
import { createMetrics } from "../lib/observability/metrics";
import type { SpanLimitOptions } from "../lib/telemetry/core/otlp/span-limits";
import { encodeTraceJson } from "./fixtures/otlp-payloads";
import { getTrace } from "../lib/telemetry/query/trace";
import { describeEachDatabase } from "./helpers/databases";

const nsOf = ([s, ns]: [number, number]) => String(BigInt(s) * 1_000_000_000n + BigInt(ns));

async function startReceiver(sql: SqlRunner, writerOptions: { concurrency: number; maxWaitingBatches: number }, spanLimits: SpanLimitOptions = {}) {
  const writer = new TelemetryWriter({ sql, ...writerOptions });
  const server = createOtlpHttpServer({
    sink: createTelemetrySink({ writer, jobIdKeys: ["celery.task_id"], spanLimits }), authorise: async () => ({ ok: true }), budget: new ByteBudget(64 * 1024 * 1024),
    maxRequestBytes: 8 * 1024 * 1024, requestTimeoutMs: 10_000, logger: createLogger({ level: "error", sink: () => undefined }), metrics: createMetrics(), spanLimits,
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, writer, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function emit(url: string): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "e2e-worker", "service.version": "2.0.0" }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${url}/v1/traces` }) }), new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer("e2e");
  const root = tracer.startSpan("POST /render", { kind: SpanKind.SERVER, attributes: { "http.request.method": "POST", "http.route": "/render", "http.response.status_code": 202, "celery.task_id": "task-7" } });
  const child = tracer.startSpan("render", { kind: SpanKind.CONSUMER, attributes: { "job.attempt": 3, "gpu.slots": 4, ratio: 0.25, ok: false, tags: ["x", "y"], "celery.task_id": "task-7" }, links: [{ context: root.spanContext(), attributes: { "link.kind": "follows" } }] }, trace.setSpan(context.active(), root));
  child.addEvent("frame.done", { frame: 12 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: "GPU out of memory" });
  child.end();
  root.end();
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

describeEachDatabase("OTLP exporter → receiver → storage → read", ({ db }) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver(db().sql, { concurrency: 2, maxWaitingBatches: 8 });
  });
  afterAll(() => receiver.server.close());

  it("stores what the official proto exporter sent, and reads it back exactly", async () => {
    const [child, root] = await emit(receiver.url);
    const stored = await getTrace(db().sql, root!.spanContext().traceId);
    expect(stored.spans.map((s) => s.spanId).sort()).toEqual([root!.spanContext().spanId, child!.spanContext().spanId].sort());
    const r = stored.spans.find((s) => s.spanId === root!.spanContext().spanId);
    const c = stored.spans.find((s) => s.spanId === child!.spanContext().spanId);
    expect(r).toMatchObject({ service: "e2e-worker", serviceVersion: "2.0.0", kind: "SERVER", parentSpanId: null, startTimeUnixNano: nsOf(root!.startTime), durationNs: nsOf(root!.duration), jobId: "task-7" });
    expect(c).toMatchObject({
      parentSpanId: root!.spanContext().spanId, kind: "CONSUMER", statusCode: "ERROR", statusMessage: "GPU out of memory", jobId: "task-7", jobAttempt: 3,
      startTimeUnixNano: nsOf(child!.startTime), endTimeUnixNano: nsOf(child!.endTime), durationNs: nsOf(child!.duration),
      attributes: { "job.attempt": 3, "gpu.slots": 4, ratio: 0.25, ok: false, tags: ["x", "y"], "celery.task_id": "task-7" },
      events: [{ timeUnixNano: nsOf(child!.events[0]!.time), name: "frame.done", attributes: { frame: 12 }, droppedAttributesCount: 0 }],
      links: [{ traceId: root!.spanContext().traceId, spanId: root!.spanContext().spanId, traceState: "", attributes: { "link.kind": "follows" }, droppedAttributesCount: 0 }],
    });
    const job = await db().sql.query<{ status: string; attempts: number; services: string[] }>(`SELECT status, attempts, services FROM jobs WHERE job_id = 'task-7'`);
    expect(job).toEqual([{ status: "failed", attempts: 3, services: ["e2e-worker"] }]);
  });

  it("answers 200 with partial success for rejected spans and stores the rest", async () => {
    const body = { resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "partial" } }] }, scopeSpans: [{ spans: [
      { traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b174", name: "ok", kind: 2, startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n), endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n + 5n) },
      { traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b175", name: "from 1970", kind: 2, startTimeUnixNano: "5", endTimeUnixNano: "6" },
    ] }] }] };
    const res = await fetch(`${receiver.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ partialSuccess: { rejectedSpans: "1" } });
    expect((await getTrace(db().sql, "5b8efff798038103d269b633813fc60c")).spans.map((s) => s.name)).toEqual(["ok"]);
  });

  it("answers 503 with Retry-After when the write queue is full, and stores nothing of that request", async () => {
    let release = () => undefined as void;
    const held = new Promise<void>((r) => (release = r));
    let entered = () => undefined as void;
    const writing = new Promise<void>((r) => (entered = r));
    // A runner whose transactions wait on `held`: the one write slot stays busy until released.
    const slow: SqlRunner = { ...db().sql, transaction: async (fn) => { entered(); await held; return db().sql.transaction(fn); } };
    const busy = await startReceiver(slow, { concurrency: 1, maxWaitingBatches: 0 });
    try {
      const proto = (name: string, spanId: string) => Buffer.from(encodeTraceJson({ resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "busy" } }] }, scopeSpans: [{ spans: [{ traceId: "6b8efff798038103d269b633813fc60c", spanId, name, kind: 2, startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n), endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n + 5n) }] }] }] }));
      const post = (body: Buffer) => fetch(`${busy.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array(body) });
      const first = post(proto("first", "0000000000000001"));
      await writing; // the first request holds the only write slot
      const second = await post(proto("second", "0000000000000002"));
      expect(second.status).toBe(503);
      expect(second.headers.get("retry-after")).toBe("1");
      release();
      expect((await first).status).toBe(200);
      expect((await getTrace(db().sql, "6b8efff798038103d269b633813fc60c")).spans.map((s) => s.name)).toEqual(["first"]);
    } finally {
      busy.server.close();
    }
  });

  it("applies the configured span limits on both decode paths, stores what was cut, and shows it in the span view", async () => {
    const loaded = loadConfig({ OTLP_ATTRIBUTE_VALUE_LENGTH_LIMIT: "32", OTLP_ATTRIBUTE_COUNT_LIMIT: "3", OTLP_SPAN_EVENT_COUNT_LIMIT: "2", OTLP_SPAN_LINK_COUNT_LIMIT: "1" });
    if (!loaded.ok) throw new Error(loaded.problems.join("; "));
    const limited = await startReceiver(db().sql, { concurrency: 1, maxWaitingBatches: 4 }, spanLimitsFromConfig(loaded.config));
    const megabyte = "m".repeat(1024 * 1024);
    const body = (traceId: string) => {
      const nowNs = BigInt(Date.now()) * 1_000_000n;
      const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
      const event = (name: string) => ({ timeUnixNano: String(nowNs), name, attributes: [str("exception.stacktrace", megabyte)] });
      const link = (spanId: string) => ({ traceId: "7b8efff798038103d269b633813fc60c", spanId, attributes: [] });
      const span = {
        traceId, spanId: "eee19b7ec3c1b174", name: "huge", kind: 2, startTimeUnixNano: String(nowNs), endTimeUnixNano: String(nowNs + 5n),
        // Five attributes over a limit of three; two of the kept ones are a megabyte long.
        attributes: [str("db.statement", megabyte), str("short", "ok"), str("tags", megabyte), str("fourth", "x"), str("fifth", "y")],
        events: [event("first"), event("second"), event("third")], links: [link("eee19b7ec3c1b175"), link("eee19b7ec3c1b176")],
      };
      return { resourceSpans: [{ resource: { attributes: [str("service.name", "limited")] }, scopeSpans: [{ spans: [span] }] }] };
    };
    const traces = { protobuf: "8b8efff798038103d269b633813fc60c", json: "9b8efff798038103d269b633813fc60c" };
    try {
      const proto = await fetch(`${limited.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array(encodeTraceJson(body(traces.protobuf))) });
      const json = await fetch(`${limited.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body(traces.json)) });
      expect([proto.status, json.status]).toEqual([200, 200]);
    } finally {
      limited.server.close();
    }
    const cut = "m".repeat(32);
    for (const traceId of Object.values(traces)) {
      const [span] = (await getTrace(db().sql, traceId)).spans;
      expect(SpanView.parse(span)).toMatchObject({
        attributes: { "db.statement": cut, short: "ok", tags: cut },
        events: [{ name: "first", attributes: { "exception.stacktrace": cut } }, { name: "second", attributes: { "exception.stacktrace": cut } }],
        links: [{ spanId: "eee19b7ec3c1b175" }],
        // Two span attributes over the count; the third event and the second link; four values cut (two on the span, one per kept event).
        droppedAttributesCount: 2, droppedEventsCount: 1, droppedLinksCount: 1, truncatedValuesCount: 4,
      });
      const [stored] = await db().sql.query<{ dropped_counts: number[]; bytes: number }>(`SELECT dropped_counts, pg_column_size(attributes) + pg_column_size(events) AS bytes FROM spans WHERE trace_id = $1`, [traceId]);
      expect(stored?.dropped_counts).toEqual([2, 1, 1, 4]);
      expect(stored!.bytes).toBeLessThan(1024);
    }
  });
});
