// Walks an ExportTraceServiceRequest (protobufjs message or OTLP/JSON object) into `OtlpTraceRequest`.
import type { FieldReader, Fields } from "./field-reader";
import { readKeyValues, readResource, readScope } from "./decode-common";
import type { OtlpSpan, OtlpTraceRequest } from "./types";

const INT32_MAX = 0x7fffffff;

function readSpan(r: FieldReader, s: Fields): OtlpSpan {
  const status = r.message(s, "status", (st) => ({ code: r.integer(st, "code", 0, INT32_MAX), message: r.string(st, "message") }));
  return {
    traceId: r.id(s, "traceId"),
    spanId: r.id(s, "spanId"),
    traceState: r.string(s, "traceState"),
    parentSpanId: r.id(s, "parentSpanId"),
    name: r.string(s, "name"),
    kind: r.integer(s, "kind", 0, INT32_MAX),
    startTimeUnixNano: r.unixNano(s, "startTimeUnixNano"),
    endTimeUnixNano: r.unixNano(s, "endTimeUnixNano"),
    attributes: readKeyValues(r, s, "attributes"),
    droppedAttributesCount: r.uint32(s, "droppedAttributesCount"),
    events: r.list(s, "events", (e) => ({
      timeUnixNano: r.unixNano(e, "timeUnixNano"),
      name: r.string(e, "name"),
      attributes: readKeyValues(r, e, "attributes"),
      droppedAttributesCount: r.uint32(e, "droppedAttributesCount"),
    })),
    droppedEventsCount: r.uint32(s, "droppedEventsCount"),
    links: r.list(s, "links", (l) => ({
      traceId: r.id(l, "traceId"),
      spanId: r.id(l, "spanId"),
      traceState: r.string(l, "traceState"),
      attributes: readKeyValues(r, l, "attributes"),
      droppedAttributesCount: r.uint32(l, "droppedAttributesCount"),
    })),
    droppedLinksCount: r.uint32(s, "droppedLinksCount"),
    statusCode: status?.code ?? 0,
    statusMessage: status?.message ?? "",
  };
}

export function readTraceRequest(r: FieldReader, root: Fields): OtlpTraceRequest {
  return {
    resourceSpans: r.list(root, "resourceSpans", (rs) => ({
      resource: readResource(r, rs),
      schemaUrl: r.string(rs, "schemaUrl"),
      scopeSpans: r.list(rs, "scopeSpans", (ss) => ({
        scope: readScope(r, ss),
        schemaUrl: r.string(ss, "schemaUrl"),
        spans: r.list(ss, "spans", (s) => readSpan(r, s)),
      })),
    })),
  };
}
