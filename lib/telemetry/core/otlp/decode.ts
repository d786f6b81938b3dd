// Decodes OTLP Export*ServiceRequest bodies (protobuf bytes or OTLP/JSON) into the shapes of `types.ts`, never throwing.
//
// A field that cannot be converted (wrong type, non-hex ID, bad int64) rejects the whole request, as a protobuf
// parse error would; a well-formed but invalid value (an ID of the wrong length, a zero ID, an absurd time) is
// left to the normalisers, which reject that one span or point and report partial success.
import { FieldReader, OtlpFieldError, type Fields } from "./field-reader";
import { logsCollector, metricsCollector, traceCollector, type ProtoMessageType } from "./generated";
import type { OtlpMetricsRequest } from "./metric-types";
import { readLogsRequest } from "./decode-logs";
import { readMetricsRequest } from "./decode-metrics";
import { readTraceRequest } from "./decode-traces";
import type { OtlpLogsRequest, OtlpTraceRequest } from "./types";

export type OtlpEncoding = "protobuf" | "json";

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; reason: string };

type ReadRequest<T> = (r: FieldReader, root: Fields) => T;

const utf8 = new TextDecoder("utf-8", { fatal: true });

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function decodeProtobuf<T>(type: ProtoMessageType, bytes: Uint8Array, read: ReadRequest<T>): DecodeResult<T> {
  let message: unknown;
  try {
    message = type.decode(bytes);
  } catch (error) {
    return { ok: false, reason: `invalid protobuf: ${errorText(error)}` };
  }
  return walk(new FieldReader(true), message, read, "invalid protobuf");
}

function decodeJson<T>(body: Uint8Array | string, read: ReadRequest<T>): DecodeResult<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === "string" ? body : utf8.decode(body));
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${errorText(error)}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: "invalid OTLP/JSON: expected a JSON object at the top level" };
  }
  return walk(new FieldReader(false), parsed, read, "invalid OTLP/JSON");
}

function walk<T>(reader: FieldReader, root: unknown, read: ReadRequest<T>, label: string): DecodeResult<T> {
  try {
    return { ok: true, value: read(reader, root as Fields) };
  } catch (error) {
    // Field errors are the expected failures; anything else (e.g. stack exhaustion) is still a bad request here.
    if (error instanceof OtlpFieldError) return { ok: false, reason: `${label}: ${error.message}` };
    return { ok: false, reason: `${label}: ${errorText(error)}` };
  }
}

function decodeWith<T>(type: ProtoMessageType, read: ReadRequest<T>, body: Uint8Array | string, encoding: OtlpEncoding): DecodeResult<T> {
  if (encoding === "json") return decodeJson(body, read);
  if (typeof body === "string") return { ok: false, reason: "invalid protobuf: expected bytes, got a string" };
  return decodeProtobuf(type, body, read);
}

export function decodeTraceRequest(body: Uint8Array | string, encoding: OtlpEncoding): DecodeResult<OtlpTraceRequest> {
  return decodeWith(traceCollector.request, readTraceRequest, body, encoding);
}

export function decodeMetricsRequest(body: Uint8Array | string, encoding: OtlpEncoding): DecodeResult<OtlpMetricsRequest> {
  return decodeWith(metricsCollector.request, readMetricsRequest, body, encoding);
}

export function decodeLogsRequest(body: Uint8Array | string, encoding: OtlpEncoding): DecodeResult<OtlpLogsRequest> {
  return decodeWith(logsCollector.request, readLogsRequest, body, encoding);
}
