// OTLP/gRPC receiver (:4317) with the same sink, auth, size cap and backpressure as OTLP/HTTP.
import * as grpc from "@grpc/grpc-js";
import type { DecodeResult } from "../otlp/decode";
import type { ExportOutcome, OtlpSignal } from "../otlp/export-response";
import { logsServiceDefinition, metricsServiceDefinition, traceServiceDefinition } from "../otlp/grpc-definitions";
import type { ReceiverOptions } from "./receiver-options";
import { IngestUnavailableError, type IngestBatch } from "./sink";
import { decodeTraceBatch } from "./trace-batch";

export type GrpcReceiverOptions = ReceiverOptions;

type Call<T> = grpc.ServerUnaryCall<DecodeResult<T>, ExportOutcome>;
type Callback = grpc.sendUnaryData<ExportOutcome>;

function exportHandler<T>(opts: GrpcReceiverOptions, signal: OtlpSignal, toBatch: (r: T) => IngestBatch) {
  return async (call: Call<T>, callback: Callback) => {
    const fail = (code: grpc.status, details: string, metadata?: grpc.Metadata) => {
      opts.metrics.otlpRequests.inc({ signal, transport: "grpc", code: grpc.status[code] ?? String(code) });
      callback({ code, details, metadata });
    };
    const auth = await opts.authorise(call.metadata.get("authorization")[0]?.toString());
    if (!auth.ok) return fail(auth.status === 401 ? grpc.status.UNAUTHENTICATED : grpc.status.PERMISSION_DENIED, auth.reason);
    if (!call.request.ok) return fail(grpc.status.INVALID_ARGUMENT, call.request.reason);
    // grpc-js has already read the message (bounded by max_receive_message_length); charge a fixed share.
    const reserve = Math.min(opts.maxRequestBytes, 1024 * 1024);
    if (!opts.budget.tryTake(reserve)) return fail(grpc.status.UNAVAILABLE, "Tailguard is at its in-flight ingest limit; retry later", retryAfter(1));
    try {
      const outcome = await opts.sink.accept(toBatch(call.request.value));
      opts.metrics.otlpRequests.inc({ signal, transport: "grpc", code: "OK" });
      callback(null, outcome);
    } catch (err) {
      if (err instanceof IngestUnavailableError) return fail(grpc.status.UNAVAILABLE, err.message, retryAfter(err.retryAfterS));
      opts.logger.error("OTLP/gRPC export failed", { signal, err });
      fail(grpc.status.UNAVAILABLE, "Tailguard could not store this batch; retry later", retryAfter(5));
    } finally {
      opts.budget.give(reserve);
    }
  };
}

function retryAfter(seconds: number): grpc.Metadata {
  const m = new grpc.Metadata();
  m.set("retry-after", String(seconds));
  return m;
}

// Traces decode straight to a batch (span rows when the fast decoder can read the body), as over OTLP/HTTP.
const traceBatchServiceDefinition = {
  Export: { ...traceServiceDefinition.Export, requestDeserialize: (bytes: Buffer) => decodeTraceBatch(bytes, "protobuf") },
};

export function createOtlpGrpcServer(opts: GrpcReceiverOptions): grpc.Server {
  const server = new grpc.Server({ "grpc.max_receive_message_length": opts.maxRequestBytes });
  server.addService(traceBatchServiceDefinition as unknown as grpc.ServiceDefinition, { Export: exportHandler(opts, "traces", (batch: IngestBatch) => batch) });
  server.addService(metricsServiceDefinition as unknown as grpc.ServiceDefinition, { Export: exportHandler(opts, "metrics", (request: never) => ({ signal: "metrics", request })) });
  server.addService(logsServiceDefinition as unknown as grpc.ServiceDefinition, { Export: exportHandler(opts, "logs", (request: never) => ({ signal: "logs", request })) });
  return server;
}

export function bindGrpc(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, boundPort) => (err ? reject(err) : resolve(boundPort))),
  );
}
