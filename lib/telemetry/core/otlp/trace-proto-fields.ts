// The protobuf tags (field number << 3 | wire type) the fast trace decoder reads, per OTLP message. Every entry is
// checked against the official definitions in @opentelemetry/otlp-transformer by trace-proto-fields.test.ts.

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

const tag = (fieldNumber: number, wireType: number): number => (fieldNumber << 3) | wireType;

export const TRACE_REQUEST_TAGS = {
  "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest": { resourceSpans: tag(1, WIRE_LEN) },
  "opentelemetry.proto.trace.v1.ResourceSpans": { resource: tag(1, WIRE_LEN), scopeSpans: tag(2, WIRE_LEN), schemaUrl: tag(3, WIRE_LEN) },
  "opentelemetry.proto.trace.v1.ScopeSpans": { scope: tag(1, WIRE_LEN), spans: tag(2, WIRE_LEN), schemaUrl: tag(3, WIRE_LEN) },
  "opentelemetry.proto.trace.v1.Span": {
    traceId: tag(1, WIRE_LEN),
    spanId: tag(2, WIRE_LEN),
    traceState: tag(3, WIRE_LEN),
    parentSpanId: tag(4, WIRE_LEN),
    name: tag(5, WIRE_LEN),
    kind: tag(6, WIRE_VARINT),
    startTimeUnixNano: tag(7, WIRE_I64),
    endTimeUnixNano: tag(8, WIRE_I64),
    attributes: tag(9, WIRE_LEN),
    droppedAttributesCount: tag(10, WIRE_VARINT),
    events: tag(11, WIRE_LEN),
    droppedEventsCount: tag(12, WIRE_VARINT),
    links: tag(13, WIRE_LEN),
    droppedLinksCount: tag(14, WIRE_VARINT),
    status: tag(15, WIRE_LEN),
  },
  "opentelemetry.proto.trace.v1.Span.Event": {
    timeUnixNano: tag(1, WIRE_I64),
    name: tag(2, WIRE_LEN),
    attributes: tag(3, WIRE_LEN),
    droppedAttributesCount: tag(4, WIRE_VARINT),
  },
  "opentelemetry.proto.trace.v1.Span.Link": {
    traceId: tag(1, WIRE_LEN),
    spanId: tag(2, WIRE_LEN),
    traceState: tag(3, WIRE_LEN),
    attributes: tag(4, WIRE_LEN),
    droppedAttributesCount: tag(5, WIRE_VARINT),
  },
  "opentelemetry.proto.trace.v1.Status": { message: tag(2, WIRE_LEN), code: tag(3, WIRE_VARINT) },
  "opentelemetry.proto.resource.v1.Resource": { attributes: tag(1, WIRE_LEN), droppedAttributesCount: tag(2, WIRE_VARINT) },
  "opentelemetry.proto.common.v1.InstrumentationScope": {
    name: tag(1, WIRE_LEN),
    version: tag(2, WIRE_LEN),
    attributes: tag(3, WIRE_LEN),
    droppedAttributesCount: tag(4, WIRE_VARINT),
  },
  "opentelemetry.proto.common.v1.KeyValue": { key: tag(1, WIRE_LEN), value: tag(2, WIRE_LEN) },
  "opentelemetry.proto.common.v1.AnyValue": {
    stringValue: tag(1, WIRE_LEN),
    boolValue: tag(2, WIRE_VARINT),
    intValue: tag(3, WIRE_VARINT),
    doubleValue: tag(4, WIRE_I64),
    arrayValue: tag(5, WIRE_LEN),
    kvlistValue: tag(6, WIRE_LEN),
    bytesValue: tag(7, WIRE_LEN),
  },
  "opentelemetry.proto.common.v1.ArrayValue": { values: tag(1, WIRE_LEN) },
  "opentelemetry.proto.common.v1.KeyValueList": { values: tag(1, WIRE_LEN) },
} as const;

/** A bit per field number the message knows, for WireReader.skipUnknown. */
export function knownFieldMask(tags: Readonly<Record<string, number>>): number {
  let mask = 0;
  for (const t of Object.values(tags)) mask |= 1 << (t >>> 3);
  return mask;
}
