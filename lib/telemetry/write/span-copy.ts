// Span rows as COPY text for the `spans` table: the same cells the jsonb insert in telemetry-spans.ts stores.
import type { SpanRow } from "../core/otlp/normalise-traces";
import { copyInt, copyIntArray, copyJson, copyText } from "../../db/copy-text";

/** The columns of each COPY row, in cell order. */
export const SPAN_COPY_COLUMNS = [
  "trace_id", "span_id", "parent_span_id", "trace_state", "service", "service_version", "scope_name", "scope_version", "name", "kind",
  "status_code", "status_message", "start_ns", "end_ns", "duration_ns", "job_id", "job_attempt", "messaging_system", "messaging_operation",
  "messaging_destination", "messaging_message_id", "http_method", "http_route", "http_status_code", "attributes", "resource", "events", "links",
  "dropped_counts",
] as const;

/**
 * What the span limits cut: attributes, events and links dropped, then attribute values truncated. The column is an
 * array so that the fourth count needed no migration; rows stored before it hold three (read as 0 truncated).
 */
export function droppedCounts(s: SpanRow): [number, number, number, number] {
  return [s.droppedAttributesCount, s.droppedEventsCount, s.droppedLinksCount, s.truncatedValuesCount ?? 0];
}

function eventsJson(s: SpanRow): string {
  if (s.events.length === 0) return "[]";
  return copyJson(s.events.map((e) => ({ timeUnixNano: String(e.timeUnixNano), name: e.name, attributes: e.attributes, droppedAttributesCount: e.droppedAttributesCount })));
}

/** One line per span. A batch shares a few resources among many spans: each is serialised once. */
export function spansToCopyText(spans: readonly SpanRow[]): string {
  const resources = new Map<object, string>();
  let out = "";
  for (const s of spans) {
    let resource = resources.get(s.resourceAttributes);
    if (resource === undefined) resources.set(s.resourceAttributes, (resource = copyJson(s.resourceAttributes)));
    // kind and status_code are enum names and the times bigints: nothing in them to escape.
    out +=
      `${copyText(s.traceId)}\t${copyText(s.spanId)}\t${copyText(s.parentSpanId)}\t${copyText(s.traceState)}\t${copyText(s.serviceName)}\t` +
      `${copyText(s.serviceVersion)}\t${copyText(s.scopeName)}\t${copyText(s.scopeVersion)}\t${copyText(s.name)}\t${s.kind}\t${s.statusCode}\t` +
      `${copyText(s.statusMessage)}\t${s.startTimeUnixNano}\t${s.endTimeUnixNano}\t${s.durationNs}\t${copyText(s.jobId)}\t${copyInt(s.jobAttempt)}\t` +
      `${copyText(s.messagingSystem)}\t${copyText(s.messagingOperation)}\t${copyText(s.messagingDestinationName)}\t${copyText(s.messagingMessageId)}\t` +
      `${copyText(s.httpMethod)}\t${copyText(s.httpRoute)}\t${copyInt(s.httpStatusCode)}\t${copyJson(s.attributes)}\t${resource}\t${eventsJson(s)}\t` +
      `${s.links.length === 0 ? "[]" : copyJson(s.links)}\t${copyIntArray(droppedCounts(s))}\n`;
  }
  return out;
}
