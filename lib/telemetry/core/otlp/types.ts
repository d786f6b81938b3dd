// The decoded OTLP requests in one encoding-independent shape, produced from protobuf and from OTLP/JSON alike.
//
// Nanosecond timestamps are `bigint`: 2026 in Unix nanoseconds is ~1.8e18, far past 2^53, so a JS number
// would round them to ~256 ns; bigint keeps them exact and still compares and subtracts with plain operators
// (decimal strings would need parsing at every comparison). Writers turn them into strings with `String(t)`.
// IDs are lowercase hex strings of whatever length arrived; the normalisers decide what is valid.

/** An OTLP AnyValue flattened to JSON-compatible data (see `read-common.ts` for the mapping). */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export interface KeyValue {
  key: string;
  value: AttributeValue;
}

export interface OtlpResource {
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface OtlpScope {
  name: string;
  version: string;
  attributes: KeyValue[];
}

export interface OtlpSpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface OtlpSpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  traceState: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: OtlpSpanEvent[];
  droppedEventsCount: number;
  links: OtlpSpanLink[];
  droppedLinksCount: number;
  statusCode: number;
  statusMessage: string;
}

export interface OtlpTraceRequest {
  resourceSpans: Array<{
    resource: OtlpResource;
    schemaUrl: string;
    scopeSpans: Array<{ scope: OtlpScope; schemaUrl: string; spans: OtlpSpan[] }>;
  }>;
}

export interface OtlpLogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
  traceId: string;
  spanId: string;
}

export interface OtlpLogsRequest {
  resourceLogs: Array<{
    resource: OtlpResource;
    schemaUrl: string;
    scopeLogs: Array<{ scope: OtlpScope; schemaUrl: string; logRecords: OtlpLogRecord[] }>;
  }>;
}
