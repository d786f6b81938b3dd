// OTLP/gRPC receiver (:4317) with the same sink, auth, size cap and backpressure as OTLP/HTTP.
import * as grpc from "@grpc/grpc-js";
import { decodeLogsRequest, decodeMetricsRequest, type DecodeResult } from "../core/otlp/decode";
import type { ExportOutcome, OtlpSignal } from "../core/otlp/export-response";
import { logsServiceDefinition, metricsServiceDefinition, traceServiceDefinition } from "./grpc-definitions";
import type { ReceiverOptions } from "./receiver-options";
import { IngestUnavailableError, type IngestBatch } from "./sink";
import { decodeTraceBatch } from "./trace-batch";

export type GrpcReceiverOptions = ReceiverOptions;

type Call = grpc.ServerUnaryCall<Buffer, ExportOutcome>;
type Callback = grpc.sendUnaryData<ExportOutcome>;
type Decoder = (bytes: Buffer) => DecodeResult<IngestBatch>;

function exportHandler(opts: GrpcReceiverOptions, signal: OtlpSignal, decode: Decoder) {
  return async (call: Call, callback: Callback) => {
    const fail = (code: grpc.status, details: string, metadata?: grpc.Metadata) => {
      opts.metrics.otlpRequests.inc({ signal, transport: "grpc", code: grpc.status[code] ?? String(code) });
      callback({ code, details, metadata });
    };
    const auth = await opts.authorise(call.metadata.get("authorization")[0]?.toString());
    if (!auth.ok) return fail(auth.status === 401 ? grpc.status.UNAUTHENTICATED : grpc.status.PERMISSION_DENIED, auth.reason);
    // Refused before decoding: under overload, decoding batches only to refuse them would starve the accepted ones.
    const refused = opts.sink.refusal?.(signal);
    if (refused) return fail(grpc.status.UNAVAILABLE, refused.message, retryAfter(refused.retryAfterS));
    // grpc-js calls us once the whole message is in (bounded by max_receive_message_length, buffered as received), so
    // a stalled stream holds nothing here; charge what arrived, twice for the decoded form, to the caller's address.
    const client = peerAddress(call.getPeer());
    const reserve = Math.min(opts.maxRequestBytes, opts.budget.perClientLimitBytes, call.request.length * 2);
    if (!opts.budget.tryTake(reserve, client)) return fail(grpc.status.UNAVAILABLE, "Tailguard is at its in-flight ingest limit; retry later", retryAfter(1));
    try {
      const decoded = decode(call.request);
      if (!decoded.ok) return fail(grpc.status.INVALID_ARGUMENT, decoded.reason);
      const outcome = await opts.sink.accept(decoded.value);
      opts.metrics.otlpRequests.inc({ signal, transport: "grpc", code: "OK" });
      callback(null, outcome);
    } catch (err) {
      if (err instanceof IngestUnavailableError) return fail(grpc.status.UNAVAILABLE, err.message, retryAfter(err.retryAfterS));
      opts.logger.error("OTLP/gRPC export failed", { signal, err });
      fail(grpc.status.UNAVAILABLE, "Tailguard could not store this batch; retry later", retryAfter(5));
    } finally {
      opts.budget.give(reserve, client);
    }
  };
}

/** `ipv4:127.0.0.1:5000`, `[::1]:5000` or `127.0.0.1:5000` → the address without its port. */
function peerAddress(peer: string): string {
  return peer.replace(/^ipv[46]:/, "").replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
}

function retryAfter(seconds: number): grpc.Metadata {
  const m = new grpc.Metadata();
  m.set("retry-after", String(seconds));
  return m;
}

/** The services with the request left as bytes: the handler decodes it once it has decided to take it. */
function undecoded(definition: { Export: object }): grpc.ServiceDefinition {
  return { Export: { ...definition.Export, requestDeserialize: (bytes: Buffer) => bytes } } as unknown as grpc.ServiceDefinition;
}

function decodedAs<T>(decode: (bytes: Buffer, encoding: "protobuf") => DecodeResult<T>, toBatch: (request: T) => IngestBatch): Decoder {
  return (bytes) => {
    const decoded = decode(bytes, "protobuf");
    return decoded.ok ? { ok: true, value: toBatch(decoded.value) } : decoded;
  };
}

export function createOtlpGrpcServer(opts: GrpcReceiverOptions): grpc.Server {
  const server = new grpc.Server({ "grpc.max_receive_message_length": opts.maxRequestBytes });
  // Traces decode straight to a batch (span rows when the fast decoder can read the body), as over OTLP/HTTP.
  server.addService(undecoded(traceServiceDefinition), { Export: exportHandler(opts, "traces", (bytes) => decodeTraceBatch(bytes, "protobuf", opts.spanLimits)) });
  server.addService(undecoded(metricsServiceDefinition), { Export: exportHandler(opts, "metrics", decodedAs(decodeMetricsRequest, (request) => ({ signal: "metrics", request }))) });
  server.addService(undecoded(logsServiceDefinition), { Export: exportHandler(opts, "logs", decodedAs(decodeLogsRequest, (request) => ({ signal: "logs", request }))) });
  return server;
}

export function bindGrpc(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, boundPort) => (err ? reject(err) : resolve(boundPort))),
  );
}
