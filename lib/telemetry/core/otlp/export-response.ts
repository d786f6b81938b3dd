// Builds OTLP Export*ServiceResponse bodies (protobuf and OTLP/JSON) with partial_success when data was rejected.
import { logsCollector, metricsCollector, traceCollector, type ProtoMessageType } from "./generated";

export type OtlpSignal = "traces" | "metrics" | "logs";

/** How many items of the request were rejected, and one example of why. */
export interface ExportOutcome {
  rejected: number;
  errorMessage: string | null;
}

const REJECTED_FIELD: Record<OtlpSignal, string> = {
  traces: "rejectedSpans",
  metrics: "rejectedDataPoints",
  logs: "rejectedLogRecords",
};

const RESPONSE_TYPE: Record<OtlpSignal, ProtoMessageType> = {
  traces: traceCollector.response,
  metrics: metricsCollector.response,
  logs: logsCollector.response,
};

/**
 * The response as a plain OTLP/JSON object. A fully accepted request gets `{}`: the spec says partial_success
 * is left unset on full success. int64 counts are decimal strings, as OTLP/JSON writes them.
 */
export function exportResponseJson(signal: OtlpSignal, outcome: ExportOutcome): Record<string, unknown> {
  if (outcome.rejected === 0 && !outcome.errorMessage) return {};
  const partialSuccess: Record<string, unknown> = { [REJECTED_FIELD[signal]]: String(outcome.rejected) };
  if (outcome.errorMessage) partialSuccess.errorMessage = outcome.errorMessage;
  return { partialSuccess };
}

export function encodeExportResponse(signal: OtlpSignal, outcome: ExportOutcome): Uint8Array {
  const type = RESPONSE_TYPE[signal];
  return type.encode(type.fromObject(exportResponseJson(signal, outcome))).finish();
}

/** Reads a protobuf response back (for clients and tests); never throws, a garbled body reads as null. */
export function decodeExportResponse(signal: OtlpSignal, bytes: Uint8Array): ExportOutcome | null {
  try {
    const message = RESPONSE_TYPE[signal].decode(bytes) as { partialSuccess?: Record<string, unknown> | null };
    const partial = message.partialSuccess ?? {};
    const rejected = partial[REJECTED_FIELD[signal]];
    const errorMessage = typeof partial.errorMessage === "string" && partial.errorMessage !== "" ? partial.errorMessage : null;
    return { rejected: rejected === null || rejected === undefined ? 0 : Number(String(rejected)), errorMessage };
  } catch {
    return null;
  }
}
