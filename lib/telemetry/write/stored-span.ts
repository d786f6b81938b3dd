// Spans as the write path stored them, read back as SpanRow for code that re-runs the SLI matchers over raw spans
// (SLO rollup rebuilds, canary comparisons). Only the fields the matchers read are filled in.
import type { SpanRow } from "../core/otlp/normalise-traces";

export type StoredSpanRow = {
  trace_id: string; span_id: string; parent_span_id: string | null; service: string; name: string; kind: string; status_code: string;
  start_ns: string; end_ns: string; duration_ns: string; http_route: string | null; http_status_code: number | null;
  messaging_destination: string | null; attributes: Record<string, unknown>; links: { traceId: string; spanId: string }[] | null;
};

/** The `spans` columns a StoredSpanRow holds, with the bigints as text. */
export const STORED_SPAN_COLUMNS = `trace_id, span_id, parent_span_id, service, name, kind, status_code, start_ns::text AS start_ns, end_ns::text AS end_ns,
  duration_ns::text AS duration_ns, http_route, http_status_code, messaging_destination, attributes, links`;

export function storedSpanToRow(r: StoredSpanRow): SpanRow {
  return {
    traceId: r.trace_id, spanId: r.span_id, parentSpanId: r.parent_span_id, serviceName: r.service, name: r.name, kind: r.kind as SpanRow["kind"],
    statusCode: r.status_code as SpanRow["statusCode"], startTimeUnixNano: BigInt(r.start_ns), endTimeUnixNano: BigInt(r.end_ns),
    durationNs: BigInt(r.duration_ns), httpRoute: r.http_route, httpStatusCode: r.http_status_code, messagingDestinationName: r.messaging_destination,
    attributes: r.attributes as SpanRow["attributes"],
    links: (r.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId, traceState: "", attributes: {}, droppedAttributesCount: 0 })),
  } as SpanRow;
}
