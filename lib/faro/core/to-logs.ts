// Faro logs, exceptions and events (other than the ones that become spans) as OTLP log records, placed in the
// page view's trace so the trace view shows them beside its spans.
import type { OtlpLogRecord } from "../../telemetry/core/otlp/types";
import { keyValues, placeItem, timestampNs, type BatchContext } from "./batch-context";
import type { FaroEvent, FaroException, FaroLog } from "./payload";
import { stacktraceText } from "./to-spans";

// OTLP severity numbers for Faro's levels (`log` is console.log: INFO).
const SEVERITY: Record<FaroLog["level"], number> = { trace: 1, debug: 5, info: 9, log: 9, warn: 13, error: 17 };
const SEVERITY_ERROR = 17;

function record(f: Pick<OtlpLogRecord, "timeUnixNano" | "severityNumber" | "body" | "attributes" | "traceId" | "spanId">): OtlpLogRecord {
  return { observedTimeUnixNano: 0n, severityText: "", droppedAttributesCount: 0, flags: 0, ...f };
}

export function logToRecord(ctx: BatchContext, log: FaroLog, index: number): OtlpLogRecord {
  const place = placeItem(ctx, log.trace, "log", log.timestamp, index);
  return record({
    timeUnixNano: timestampNs(log.timestamp),
    severityNumber: SEVERITY[log.level],
    body: log.message,
    attributes: [...ctx.common, ...keyValues({ ...log.context, "faro.kind": "log", "faro.log.level": log.level })],
    traceId: place.traceId,
    spanId: place.parentSpanId,
  });
}

/** The log twin of an exception's error span, carrying the stack as text. */
export function exceptionToRecord(ctx: BatchContext, ex: FaroException, errorSpan: { traceId: string; spanId: string }): OtlpLogRecord {
  return record({
    timeUnixNano: timestampNs(ex.timestamp),
    severityNumber: SEVERITY_ERROR,
    body: `${ex.type}: ${ex.value}`,
    attributes: [...ctx.common, ...keyValues({ "faro.kind": "exception", "exception.type": ex.type, "exception.message": ex.value, "exception.stacktrace": stacktraceText(ex) })],
    traceId: errorSpan.traceId,
    spanId: errorSpan.spanId,
  });
}

export function eventToRecord(ctx: BatchContext, event: FaroEvent, index: number): OtlpLogRecord {
  const place = placeItem(ctx, event.trace, "event", event.timestamp, index);
  return record({
    timeUnixNano: timestampNs(event.timestamp),
    severityNumber: SEVERITY.info,
    body: event.name,
    attributes: [...ctx.common, ...keyValues({ ...event.attributes, "faro.kind": "event", "event.name": event.name, "event.domain": event.domain })],
    traceId: place.traceId,
    spanId: place.parentSpanId,
  });
}
