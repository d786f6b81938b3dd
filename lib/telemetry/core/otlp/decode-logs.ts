// Walks an ExportLogsServiceRequest (protobufjs message or OTLP/JSON object) into `OtlpLogsRequest`.
import type { FieldReader, Fields } from "./field-reader";
import { readAnyValue, readKeyValues, readResource, readScope } from "./decode-common";
import type { OtlpLogRecord, OtlpLogsRequest } from "./types";

function readLogRecord(r: FieldReader, l: Fields): OtlpLogRecord {
  return {
    timeUnixNano: r.unixNano(l, "timeUnixNano"),
    observedTimeUnixNano: r.unixNano(l, "observedTimeUnixNano"),
    severityNumber: r.integer(l, "severityNumber", 0, 0x7fffffff),
    severityText: r.string(l, "severityText"),
    body: r.message(l, "body", (b) => readAnyValue(r, b, 0)) ?? null,
    attributes: readKeyValues(r, l, "attributes"),
    droppedAttributesCount: r.uint32(l, "droppedAttributesCount"),
    flags: r.uint32(l, "flags"),
    traceId: r.id(l, "traceId"),
    spanId: r.id(l, "spanId"),
  };
}

export function readLogsRequest(r: FieldReader, root: Fields): OtlpLogsRequest {
  return {
    resourceLogs: r.list(root, "resourceLogs", (rl) => ({
      resource: readResource(r, rl),
      schemaUrl: r.string(rl, "schemaUrl"),
      scopeLogs: r.list(rl, "scopeLogs", (sl) => ({
        scope: readScope(r, sl),
        schemaUrl: r.string(sl, "schemaUrl"),
        logRecords: r.list(sl, "logRecords", (l) => readLogRecord(r, l)),
      })),
    })),
  };
}
