// Typed access to the protobufjs static code that @opentelemetry/otlp-transformer@0.57 ships for every OTLP message.
import { createRequire } from "node:module";

/** A protobufjs writer after `encode`; `finish()` yields the bytes. */
interface ProtoWriter {
  finish(): Uint8Array;
}

/** The part of a generated protobufjs message class this project uses. */
export interface ProtoMessageType {
  decode(bytes: Uint8Array): unknown;
  encode(message: unknown): ProtoWriter;
  fromObject(object: Record<string, unknown>): unknown;
  verify(object: Record<string, unknown>): string | null;
}

interface CollectorPackage {
  request: ProtoMessageType;
  response: ProtoMessageType;
}

interface GeneratedRoot {
  opentelemetry: {
    proto: {
      collector: {
        trace: { v1: Record<"ExportTraceServiceRequest" | "ExportTraceServiceResponse", ProtoMessageType> };
        metrics: { v1: Record<"ExportMetricsServiceRequest" | "ExportMetricsServiceResponse", ProtoMessageType> };
        logs: { v1: Record<"ExportLogsServiceRequest" | "ExportLogsServiceResponse", ProtoMessageType> };
      };
    };
  };
}

// The generated file is CommonJS with an opaque `$protobuf.Root` typing, so it is loaded with require and typed here.
const require = createRequire(import.meta.url);
const root = require("@opentelemetry/otlp-transformer/build/src/generated/root.js") as GeneratedRoot;
const collector = root.opentelemetry.proto.collector;

export const traceCollector: CollectorPackage = {
  request: collector.trace.v1.ExportTraceServiceRequest,
  response: collector.trace.v1.ExportTraceServiceResponse,
};
export const metricsCollector: CollectorPackage = {
  request: collector.metrics.v1.ExportMetricsServiceRequest,
  response: collector.metrics.v1.ExportMetricsServiceResponse,
};
export const logsCollector: CollectorPackage = {
  request: collector.logs.v1.ExportLogsServiceRequest,
  response: collector.logs.v1.ExportLogsServiceResponse,
};

/** Encodes a plain OTLP object (protobufjs `fromObject` shape: camelCase keys, Buffers or base64 for bytes). */
export function encodeOtlpObject(type: ProtoMessageType, object: Record<string, unknown>): Uint8Array {
  return type.encode(type.fromObject(object)).finish();
}
