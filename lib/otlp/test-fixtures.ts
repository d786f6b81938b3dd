// Builders for OTLP requests in OTLP/JSON form and their protobuf encodings, shared by the tests and the benchmark.
import { encodeOtlpObject, logsCollector, metricsCollector, traceCollector } from "./generated";

type Json = Record<string, unknown>;

const ID_KEYS = new Set(["traceId", "spanId", "parentSpanId"]);

/** OTLP/JSON carries IDs as hex; protobufjs `fromObject` wants bytes, so convert those keys and keep the rest. */
export function otlpJsonToProtoObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(otlpJsonToProtoObject);
  if (typeof value !== "object" || value === null) return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = ID_KEYS.has(key) && typeof item === "string" ? Buffer.from(item, "hex") : otlpJsonToProtoObject(item);
  }
  return out;
}

export function encodeTraceJson(json: Json): Uint8Array {
  return encodeOtlpObject(traceCollector.request, otlpJsonToProtoObject(json) as Json);
}

export function encodeMetricsJson(json: Json): Uint8Array {
  return encodeOtlpObject(metricsCollector.request, otlpJsonToProtoObject(json) as Json);
}

export function encodeLogsJson(json: Json): Uint8Array {
  return encodeOtlpObject(logsCollector.request, otlpJsonToProtoObject(json) as Json);
}

export function str(key: string, value: string): Json {
  return { key, value: { stringValue: value } };
}

export function int(key: string, value: number | string): Json {
  return { key, value: { intValue: value } };
}


/** 2025-11-23T08:00:00Z, with sub-microsecond digits, in Unix nanoseconds: well past 2^53. */
export const BASE_UNIX_NANO = 1_763_884_800_000_000_000n;

export function nanoText(offsetNs: bigint): string {
  return String(BASE_UNIX_NANO + offsetNs);
}

/** A realistic batch: `count` spans over two services, ~10 attributes each, every span carrying a job ID. */
export function buildTraceBatch(count: number): Json {
  const spans: Json[] = [];
  for (let i = 0; i < count; i++) {
    const start = BigInt(i) * 1_000_003n;
    spans.push({
      traceId: (i + 1).toString(16).padStart(32, "a"),
      spanId: (i + 1).toString(16).padStart(16, "b"),
      parentSpanId: i % 4 === 0 ? "" : i.toString(16).padStart(16, "b"),
      name: i % 2 === 0 ? "jobs process" : "POST /jobs",
      kind: i % 2 === 0 ? 5 : 2,
      startTimeUnixNano: nanoText(start),
      endTimeUnixNano: nanoText(start + 250_000_123n),
      attributes: [
        str("job.id", `job-${Math.floor(i / 3)}`),
        int("job.attempt", (i % 3) + 1),
        str("messaging.system", "rabbitmq"),
        str("messaging.operation.type", "process"),
        str("messaging.destination.name", "jobs"),
        str("messaging.message.id", `msg-${i}`),
        str("http.request.method", "POST"),
        str("http.route", "/jobs"),
        int("http.response.status_code", 202),
        { key: "gpu.utilisation", value: { doubleValue: 0.87 } },
      ],
      status: { code: i % 10 === 0 ? 2 : 1, message: i % 10 === 0 ? "timeout" : "" },
    });
  }
  return {
    resourceSpans: [
      {
        resource: { attributes: [str("service.name", "worker"), str("service.version", "2.1.0"), str("host.name", "gpu-7")] },
        scopeSpans: [{ scope: { name: "worker-instrumentation", version: "1.0.0" }, spans }],
      },
    ],
  };
}
