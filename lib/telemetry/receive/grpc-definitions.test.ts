import { credentials, makeGenericClientConstructor, Server, ServerCredentials, status, type ServiceError } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { decodeExportResponse, encodeExportResponse, exportResponseJson, type ExportOutcome } from "../core/otlp/export-response";
import { logsServiceDefinition, metricsServiceDefinition, traceServiceDefinition } from "./grpc-definitions";
import { normaliseTraces } from "../core/otlp/normalise-traces";
import { BASE_UNIX_NANO, buildTraceBatch, otlpJsonToProtoObject } from "../../../tests/fixtures/otlp-payloads";

describe("export responses", () => {
  it.each([
    ["traces", { rejected: 3, errorMessage: "spans[3].traceId: expected 32 hex chars" }, { partialSuccess: { rejectedSpans: "3", errorMessage: "spans[3].traceId: expected 32 hex chars" } }],
    ["metrics", { rejected: 1, errorMessage: null }, { partialSuccess: { rejectedDataPoints: "1" } }],
    ["logs", { rejected: 0, errorMessage: null }, {}],
  ] as const)("%s: JSON %j and a protobuf round trip", (signal, outcome: ExportOutcome, json) => {
    expect(exportResponseJson(signal, outcome)).toEqual(json);
    expect(decodeExportResponse(signal, encodeExportResponse(signal, outcome))).toEqual(outcome);
  });

  it("a fully accepted request encodes to an empty protobuf message", () => {
    expect(encodeExportResponse("traces", { rejected: 0, errorMessage: null }).length).toBe(0);
  });

  it("a garbled response decodes to null", () => {
    expect(decodeExportResponse("traces", new Uint8Array([0x0a, 0x05, 0x08]))).toBeNull();
  });
});

describe("gRPC service definitions", () => {
  it("have the OTLP method paths", () => {
    expect([traceServiceDefinition, metricsServiceDefinition, logsServiceDefinition].map((d) => d.Export.path)).toEqual([
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
      "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
      "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
    ]);
  });

  it("deserialise garbage into a reason, not an exception", () => {
    const result = traceServiceDefinition.Export.requestDeserialize(Buffer.from([0x0a, 0xff]));
    expect(result.ok ? "ok" : result.reason).toMatch(/^invalid protobuf: /);
  });

  // Loopback only: proves grpc-js accepts the hand-declared definitions end to end.
  it("serve a real Export call over loopback with partial success", async () => {
    const server = new Server();
    server.addService(traceServiceDefinition, {
      Export: (call: { request: ReturnType<typeof traceServiceDefinition.Export.requestDeserialize> }, callback: (error: Partial<ServiceError> | null, value?: ExportOutcome) => void) => {
        if (!call.request.ok) return callback({ code: status.INVALID_ARGUMENT, details: call.request.reason });
        const result = normaliseTraces(call.request.value, { nowUnixNano: BASE_UNIX_NANO });
        callback(null, { rejected: result.rejectedSpans, errorMessage: result.errorMessage ?? `accepted ${result.spans.length}` });
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, boundPort) => (error ? reject(error) : resolve(boundPort))),
    );
    const Client = makeGenericClientConstructor(traceServiceDefinition, "TraceService");
    const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
    const batch = buildTraceBatch(5) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
    const spans = batch.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    spans[2] = { ...spans[2], traceId: "00".repeat(16) };
    try {
      const outcome = await new Promise<ExportOutcome>((resolve, reject) =>
        (client as unknown as { Export: (r: unknown, cb: (e: Error | null, v: ExportOutcome) => void) => void }).Export(
          otlpJsonToProtoObject(batch),
          (error, value) => (error ? reject(error) : resolve(value)),
        ),
      );
      expect(outcome).toEqual({ rejected: 1, errorMessage: "resourceSpans[0].scopeSpans[0].spans[2].traceId: all-zero trace ID" });
    } finally {
      client.close();
      server.forceShutdown();
    }
  });
});
