// Hand-declared @grpc/grpc-js service definitions for the three OTLP collector services, without proto-loader.
//
// Server side, the request deserialiser returns a `DecodeResult`, so the handler answers INVALID_ARGUMENT with the
// reason instead of grpc-js turning a thrown decode error into INTERNAL. Client side (tests, forwarding), the
// request serialiser takes a plain OTLP object in protobufjs `fromObject` form.
import type { ServiceDefinition } from "@grpc/grpc-js";
import { decodeLogsRequest, decodeMetricsRequest, decodeTraceRequest, type DecodeResult } from "../core/otlp/decode";
import { decodeExportResponse, encodeExportResponse, type ExportOutcome, type OtlpSignal } from "../core/otlp/export-response";
import { encodeOtlpObject, logsCollector, metricsCollector, traceCollector, type ProtoMessageType } from "../core/otlp/generated";
import type { OtlpMetricsRequest } from "../core/otlp/metric-types";
import type { OtlpLogsRequest, OtlpTraceRequest } from "../core/otlp/types";

export interface OtlpExportMethod<Request> {
  path: string;
  requestStream: false;
  responseStream: false;
  originalName: "export";
  requestSerialize: (request: Record<string, unknown>) => Buffer;
  requestDeserialize: (bytes: Buffer) => DecodeResult<Request>;
  responseSerialize: (outcome: ExportOutcome) => Buffer;
  /** A garbled response reads as null rather than throwing inside grpc-js. */
  responseDeserialize: (bytes: Buffer) => ExportOutcome | null;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function exportMethod<Request>(
  service: string,
  signal: OtlpSignal,
  requestType: ProtoMessageType,
  decode: (bytes: Uint8Array, encoding: "protobuf") => DecodeResult<Request>,
): OtlpExportMethod<Request> {
  return {
    path: `/opentelemetry.proto.collector.${service}/Export`,
    requestStream: false,
    responseStream: false,
    originalName: "export",
    requestSerialize: (request) => toBuffer(encodeOtlpObject(requestType, request)),
    requestDeserialize: (bytes) => decode(bytes, "protobuf"),
    responseSerialize: (outcome) => toBuffer(encodeExportResponse(signal, outcome)),
    responseDeserialize: (bytes) => decodeExportResponse(signal, bytes),
  };
}

export const traceServiceDefinition = {
  Export: exportMethod<OtlpTraceRequest>("trace.v1.TraceService", "traces", traceCollector.request, decodeTraceRequest),
} satisfies ServiceDefinition;

export const metricsServiceDefinition = {
  Export: exportMethod<OtlpMetricsRequest>("metrics.v1.MetricsService", "metrics", metricsCollector.request, decodeMetricsRequest),
} satisfies ServiceDefinition;

export const logsServiceDefinition = {
  Export: exportMethod<OtlpLogsRequest>("logs.v1.LogsService", "logs", logsCollector.request, decodeLogsRequest),
} satisfies ServiceDefinition;
