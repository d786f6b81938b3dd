// The OTLP receivers against the official OpenTelemetry JS exporters (proto, JSON, gRPC), and
// against bad and excessive input: clear 4xx, backpressure with Retry-After, and the server stays up.
import { once } from "node:events";
import { request as httpRequest } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace";
import { credentials, makeGenericClientConstructor, status, type ServiceError } from "@grpc/grpc-js";
import type * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ByteBudget } from "../lib/telemetry/receive/byte-budget";
import { bindGrpc, createOtlpGrpcServer } from "../lib/telemetry/receive/grpc-receiver";
import { createOtlpHttpServer } from "../lib/telemetry/receive/http-receiver";
import type { IngestAuthResult } from "../lib/telemetry/receive/ingest-auth";
import { decodeExportResponse } from "../lib/telemetry/core/otlp/export-response";
import { traceServiceDefinition } from "../lib/telemetry/receive/grpc-definitions";
import { normaliseTraces } from "../lib/telemetry/core/otlp/normalise-traces";
import type { OtlpTraceRequest } from "../lib/telemetry/core/otlp/types";
import { createLogger } from "../lib/observability/logger";
import { createMetrics } from "../lib/observability/metrics";
import { InMemoryIngestSink } from "./helpers/in-memory-sink";

const sink = new InMemoryIngestSink();
/** A client for the trace service that sends bytes as they are, garbage included. */
const rawTraceExport = {
  Export: { ...traceServiceDefinition.Export, requestSerialize: (bytes: Buffer) => bytes, requestDeserialize: (bytes: Buffer) => bytes },
};
let authMode: "open" | "required" = "open";
const authorise = async (header: string | undefined): Promise<IngestAuthResult> => {
  if (authMode === "open") return { ok: true };
  if (header === "Bearer tg_ingest") return { ok: true };
  if (header === "Bearer tg_read") return { ok: false, status: 403, reason: "this API token lacks the ingest scope" };
  return { ok: false, status: 401, reason: "ingestion needs an API token" };
};
const budget = new ByteBudget(4 * 1024 * 1024);
const common = { sink, authorise, budget, maxRequestBytes: 1024 * 1024, logger: createLogger({ level: "error", sink: () => undefined }), metrics: createMetrics() };
const http = createOtlpHttpServer({ ...common, requestTimeoutMs: 5_000 });
let grpcServer: grpc.Server;
let httpUrl = "";
let grpcPort = 0;

beforeAll(async () => {
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  grpcServer = createOtlpGrpcServer(common);
  grpcPort = await bindGrpc(grpcServer, "127.0.0.1", 0);
});
afterAll(async () => {
  http.close();
  grpcServer.forceShutdown();
});
beforeEach(() => {
  sink.batches.length = 0;
  sink.unavailable = false;
  sink.backedUp = false;
  sink.offered = 0;
  sink.outcome = { rejected: 0, errorMessage: null };
  authMode = "open";
});

/** Emits a producer and a linked consumer span of one job through the given official exporter. */
async function emitJobSpans(exporter: SpanExporter) {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "interop-api", "service.version": "1.2.3" }),
    spanProcessors: [new SimpleSpanProcessor({ exporter }), new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer("interop");
  const producer = tracer.startSpan("publish jobs", { kind: SpanKind.PRODUCER, attributes: { "job.id": "job-42", "job.attempt": 1, "messaging.system": "rabbitmq", "messaging.destination.name": "jobs", "messaging.operation.type": "publish" } });
  producer.end();
  const consumer = tracer.startSpan(
    "process jobs",
    { kind: SpanKind.CONSUMER, attributes: { "job.id": "job-42", "job.attempt": 2, "gpu.slots": 4, ratio: 0.5, ok: true, tags: ["a", "b"] }, links: [{ context: producer.spanContext(), attributes: { "link.kind": "retry-of" } }] },
    trace.setSpan(context.active(), producer),
  );
  consumer.addEvent("inference.start", { "model.name": "m" });
  consumer.setStatus({ code: SpanStatusCode.ERROR, message: "GPU out of memory" });
  consumer.end();
  await provider.forceFlush();
  const finished = memory.getFinishedSpans();
  await provider.shutdown();
  return finished;
}

describe.each([
  ["OTLP/HTTP protobuf", () => new ProtoExporter({ url: `${httpUrl}/v1/traces` })],
  ["OTLP/HTTP JSON", () => new JsonExporter({ url: `${httpUrl}/v1/traces` })],
  ["OTLP/gRPC", () => new GrpcExporter({ url: `http://127.0.0.1:${grpcPort}` })],
])("the official %s exporter", (_name, makeExporter) => {
  it("delivers spans that read back exactly: IDs, attributes, durations, job ID, links, events, status", async () => {
    const sent = await emitJobSpans(makeExporter());
    expect(sink.batches).toHaveLength(2);
    const rows = sink.batches.flatMap((b) => (b.signal === "traces" ? normaliseTraces(b.request as OtlpTraceRequest, { nowUnixNano: BigInt(Date.now()) * 1_000_000n }).spans : []));
    expect(rows).toHaveLength(2);
    const [producer, consumer] = sent;
    const pRow = rows.find((r) => r.kind === "PRODUCER")!;
    const cRow = rows.find((r) => r.kind === "CONSUMER")!;
    expect(pRow).toMatchObject({ traceId: producer!.spanContext().traceId, spanId: producer!.spanContext().spanId, serviceName: "interop-api", serviceVersion: "1.2.3", jobId: "job-42", messagingDestinationName: "jobs", messagingOperation: "publish" });
    expect(cRow).toMatchObject({ spanId: consumer!.spanContext().spanId, parentSpanId: producer!.spanContext().spanId, jobId: "job-42", jobAttempt: 2, statusCode: "ERROR", statusMessage: "GPU out of memory" });
    expect(cRow.attributes).toMatchObject({ "gpu.slots": 4, ratio: 0.5, ok: true, tags: ["a", "b"] });
    expect(cRow.links).toEqual([expect.objectContaining({ traceId: producer!.spanContext().traceId, spanId: producer!.spanContext().spanId, attributes: { "link.kind": "retry-of" } })]);
    expect(cRow.events.map((e) => e.name)).toEqual(["inference.start"]);
    const [s, ns] = consumer!.startTime;
    expect(cRow.startTimeUnixNano).toBe(BigInt(s) * 1_000_000_000n + BigInt(ns));
    const [ds, dns] = consumer!.duration;
    expect(cRow.durationNs).toBe(BigInt(ds) * 1_000_000_000n + BigInt(dns));
  });
});

async function post(path: string, body: Buffer | string, headers: Record<string, string>) {
  const res = await fetch(`${httpUrl}${path}`, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe("bad and excessive input over OTLP/HTTP", () => {
  const proto = { "content-type": "application/x-protobuf" };
  const json = { "content-type": "application/json" };
  it.each([
    ["truncated protobuf", proto, Buffer.from([0x0a, 0xff, 0xff, 0x01]), 400],
    ["random bytes", proto, Buffer.from("definitely not protobuf, but some bytes \u0000\u0001", "utf8"), 400],
    ["invalid JSON", json, "{\"resourceSpans\": [", 400],
    ["wrong JSON types", json, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 42 }] }] }] }), 400],
    ["unknown content type", { "content-type": "text/plain" }, "hello", 415],
  ] as const)("%s → %s with a reason", async (_n, headers, body, status) => {
    const r = await post("/v1/traces", typeof body === "string" ? body : Buffer.from(body), headers);
    expect(r.status).toBe(status);
    expect(r.text.length).toBeGreaterThan(0);
  });

  it("answers 404 for other paths and 405 for GET", async () => {
    expect((await post("/v1/spans", "{}", json)).status).toBe(404);
    expect((await fetch(`${httpUrl}/v1/traces`)).status).toBe(405);
  });

  it("refuses a body over the limit with 413", async () => {
    expect((await post("/v1/traces", Buffer.alloc(2 * 1024 * 1024, 0x20), json)).status).toBe(413);
  });

  it("refuses a gzip bomb with 413 without inflating it", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const r = await post("/v1/traces", bomb, { ...json, "content-encoding": "gzip" });
    expect(r.status).toBe(413);
    expect(r.text).toContain("decompressed body over");
  });

  it("accepts gzip and answers JSON partial success as the spec says", async () => {
    sink.outcome = { rejected: 3, errorMessage: "spans[1].traceId: expected 32 hex chars" };
    const body = gzipSync(JSON.stringify({ resourceSpans: [] }));
    const r = await post("/v1/traces", body, { ...json, "content-encoding": "gzip" });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ partialSuccess: { rejectedSpans: "3", errorMessage: "spans[1].traceId: expected 32 hex chars" } });
  });

  it("answers protobuf partial success to protobuf clients", async () => {
    sink.outcome = { rejected: 2, errorMessage: "bad span" };
    const res = await fetch(`${httpUrl}/v1/traces`, { method: "POST", body: new Uint8Array(0), headers: proto });
    expect(decodeExportResponse("traces", new Uint8Array(await res.arrayBuffer()))).toEqual({ rejected: 2, errorMessage: "bad span" });
  });

  it("asks clients to retry later when the store is overloaded (503 + Retry-After)", async () => {
    sink.unavailable = true;
    const r = await post("/v1/traces", "{}", json);
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("7");
  });

  it("with the write queue full, refuses before decoding: garbage gets 503 + Retry-After, not 400, and reaches no sink", async () => {
    sink.backedUp = true;
    const garbage = { "content-type": "application/x-protobuf" };
    const r = await post("/v1/traces", Buffer.from([0x0a, 0xff, 0xff]), garbage);
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("3");
    expect(sink.offered).toBe(0);
    sink.backedUp = false;
    expect((await post("/v1/traces", Buffer.from([0x0a, 0xff, 0xff]), garbage)).status).toBe(400);
  });

  it("over gRPC too: UNAVAILABLE with retry-after before decoding, INVALID_ARGUMENT once there is room", async () => {
    const client = new (makeGenericClientConstructor(rawTraceExport, "TraceService"))(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
    const call = () =>
      new Promise<ServiceError>((resolve) => (client.Export as (b: Buffer, cb: (err: ServiceError | null) => void) => void)(Buffer.from([0x0a, 0xff, 0xff]), (err) => resolve(err as ServiceError)));
    try {
      sink.backedUp = true;
      const refused = await call();
      expect(refused.code).toBe(status.UNAVAILABLE);
      expect(refused.metadata.get("retry-after")).toEqual(["3"]);
      expect(sink.offered).toBe(0);
      sink.backedUp = false;
      expect((await call()).code).toBe(status.INVALID_ARGUMENT);
    } finally {
      client.close();
    }
  });

  it("answers 429 + Retry-After beyond the in-flight byte budget, then recovers", async () => {
    let release!: () => void;
    sink.gate = new Promise<void>((r) => (release = r));
    const body = JSON.stringify({ resourceSpans: [], pad: "x".repeat(900 * 1024) });
    // Each request reserves up to the 1 MiB request cap; four fill the 4 MiB budget.
    const held = Array.from({ length: 4 }, () => post("/v1/traces", body, json));
    try {
      await until(() => sink.offered === 4, "four uploads held in the sink with their bytes reserved");
      const refused = await post("/v1/traces", body, json);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("1");
    } finally {
      release();
      sink.gate = null;
    }
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((await post("/v1/traces", "{}", json)).status).toBe(200);
    expect(budget.inUseBytes).toBe(0);
  });

  it("requires an ingest-scoped token when ingestion is closed", async () => {
    authMode = "required";
    expect((await post("/v1/traces", "{}", json)).status).toBe(401);
    expect((await post("/v1/traces", "{}", { ...json, authorization: "Bearer tg_read" })).status).toBe(403);
    expect((await post("/v1/traces", "{}", { ...json, authorization: "Bearer tg_ingest" })).status).toBe(200);
  });

  it("is still up and accepting after all of that", async () => {
    await emitJobSpans(new ProtoExporter({ url: `${httpUrl}/v1/traces` }));
    expect(sink.batches.length).toBeGreaterThan(0);
  });
});

/** A raw upload that declares a 32 MB protobuf body and sends one byte; resolves with what came back once closed. */
function stalledUpload(port: number) {
  const socket = connect(port, "127.0.0.1");
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  socket.on("error", () => undefined);
  socket.write(`POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-protobuf\r\nContent-Length: 33554432\r\n\r\n\n`);
  const closed = new Promise<{ text: string }>((resolve) => socket.on("close", () => resolve({ text })));
  return { socket, closed };
}

async function startHttp(options: Partial<Parameters<typeof createOtlpHttpServer>[0]> & { budget: ByteBudget }) {
  const server = createOtlpHttpServer({ ...common, requestTimeoutMs: 30_000, ...options });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: (server.address() as AddressInfo).port, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Waits until `condition` holds, checking every 10 ms; fails after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The response, or null if none came within `ms`. */
function within<T>(ms: number, pending: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([pending, new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]).finally(() => clearTimeout(timer));
}

describe("slow and stalled uploads over OTLP/HTTP", () => {
  it("16 stalled 32 MB uploads hold only what they sent: exporters still get 200 within a second, and the idle timeout closes them", async () => {
    // The production defaults: 256 MiB in flight, 32 MiB per request; each stalled upload used to reserve 32 MiB.
    const stalledBudget = new ByteBudget(256 * 1024 * 1024, 64 * 1024 * 1024);
    const { server, port, url } = await startHttp({ budget: stalledBudget, maxRequestBytes: 32 * 1024 * 1024, bodyIdleTimeoutMs: 1_000 });
    try {
      const uploads = Array.from({ length: 16 }, () => stalledUpload(port));
      // Every upload's first byte is in (reserved twice over for the decoded form).
      await until(() => stalledBudget.inUseBytes >= 16 * 2, "the 16 uploads to start");

      const res = await within(1_000, fetch(`${url}/v1/traces`, { method: "POST", body: JSON.stringify({ resourceSpans: [] }), headers: { "content-type": "application/json" } }));
      expect(res?.status).toBe(200);
      const official = await emitJobSpans(new ProtoExporter({ url: `${url}/v1/traces`, timeoutMillis: 1_000 }));
      expect(official).toHaveLength(2);
      expect(sink.batches.filter((b) => b.signal === "traces")).toHaveLength(3);
      expect(stalledBudget.inUseBytes).toBeLessThanOrEqual(16 * 2);

      // Closed by the 1 s idle timeout, not by the 30 s request deadline (whose message differs).
      const closed = await Promise.all(uploads.map((u) => u.closed));
      for (const c of closed) {
        expect(c.text).toMatch(/^HTTP\/1\.1 408 /);
        expect(c.text).toContain("no request body bytes for 1000 ms");
      }
      expect([stalledBudget.inUseBytes, stalledBudget.clientsHolding]).toEqual([0, 0]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("closes an upload that keeps sending a byte now and then once it falls under the minimum rate (408)", async () => {
    const slowBudget = new ByteBudget(256 * 1024 * 1024);
    const { server, port } = await startHttp({ budget: slowBudget, maxRequestBytes: 32 * 1024 * 1024, bodyIdleTimeoutMs: 1_000, minBodyBytesPerS: 1024 });
    const upload = stalledUpload(port);
    // Never idle for the 1 s idle timeout, but 5 bytes/s: closed by the rate (after its grace of twice the idle
    // timeout), not by the idle timeout or the 30 s deadline, whose messages differ.
    const drip = setInterval(() => upload.socket.write("\n"), 200);
    try {
      const closed = await upload.closed;
      expect(closed.text).toMatch(/^HTTP\/1\.1 408 /);
      expect(closed.text).toContain("request body arriving slower than 1024 bytes/s");
      expect(slowBudget.inUseBytes).toBe(0);
    } finally {
      clearInterval(drip);
      server.closeAllConnections();
      server.close();
    }
  });

  it("caps what one client address holds: its second large body gets 429 + Retry-After while another address is served", async () => {
    // 4 MiB in flight, 1 MiB of it per address; a 600 KiB body reserves 1 MiB (twice its size, up to the request cap).
    const clientBudget = new ByteBudget(4 * 1024 * 1024, 1024 * 1024);
    const { server, port, url } = await startHttp({ budget: clientBudget, maxRequestBytes: 1024 * 1024 });
    let release!: () => void;
    sink.gate = new Promise<void>((r) => (release = r));
    const body = JSON.stringify({ resourceSpans: [], pad: "x".repeat(600 * 1024) });
    const json = { "content-type": "application/json" };
    try {
      const held = fetch(`${url}/v1/traces`, { method: "POST", body, headers: json });
      await until(() => sink.offered > 0, "the first body to reach the sink");
      expect(clientBudget.inUseBytes).toBe(1024 * 1024);
      const second = await within(5_000, fetch(`${url}/v1/traces`, { method: "POST", body, headers: json }));
      expect([second?.status, second?.headers.get("retry-after")]).toEqual([429, "1"]);
      // Another address still has room in the overall budget.
      const other = new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port, localAddress: "127.0.0.2", method: "POST", path: "/v1/traces", headers: json }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end(JSON.stringify({ resourceSpans: [] }));
      });
      await until(() => clientBudget.clientsHolding === 2, "the other address to hold its body");
      release();
      expect(await other).toBe(200);
      expect((await held).status).toBe(200);
    } finally {
      release();
      sink.gate = null;
      server.closeAllConnections();
      server.close();
    }
    expect([clientBudget.inUseBytes, clientBudget.clientsHolding]).toEqual([0, 0]);
  });
});
