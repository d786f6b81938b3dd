// Decodes protobuf ExportTraceServiceRequest bytes straight into span rows, skipping the generated decoder's message
// objects, the field walk and the KeyValue lists that normaliseTraces would otherwise build and throw away.
//
// It takes only plainly encoded input: the declared wire type for every known field, lengths inside their parent,
// no groups, one member per AnyValue, nesting within MAX_ANY_VALUE_DEPTH, negative-free enums. For anything else it
// returns null and the caller uses the generated decoder (decode.ts), which stays the authority on odd and malformed
// bodies and on their error messages. fast-trace-decode.test.ts holds the two paths to deep-equal results.
import { serviceNameOf, stringAttribute, type Attributes } from "./attributes";
import { AttributeSet, KeyValueReader } from "./fast-attributes";
import { parentSpanIdOf, spanIdProblem, traceIdProblem } from "./id-checks";
import { KIND_NAMES, STATUS_NAMES, type SpanEventRow, type SpanLinkRow } from "./normalise-traces";
import type { PendingSpanRows } from "./pending-span-rows";
import { resolveSpanLimits, type SpanLimitOptions, type SpanLimits } from "./span-limits";
import { spanSemconvFields } from "./span-semconv";
import { knownFieldMask, TRACE_REQUEST_TAGS as TAGS } from "./trace-proto-fields";
import { NOT_FAST_PATH, WireReader } from "./wire-reader";

export type FastTraceDecodeLimits = SpanLimitOptions;

const REQUEST = TAGS["opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"];
const RESOURCE_SPANS = TAGS["opentelemetry.proto.trace.v1.ResourceSpans"];
const SCOPE_SPANS = TAGS["opentelemetry.proto.trace.v1.ScopeSpans"];
const SPAN = TAGS["opentelemetry.proto.trace.v1.Span"];
const EVENT = TAGS["opentelemetry.proto.trace.v1.Span.Event"];
const LINK = TAGS["opentelemetry.proto.trace.v1.Span.Link"];
const STATUS = TAGS["opentelemetry.proto.trace.v1.Status"];
const RESOURCE = TAGS["opentelemetry.proto.resource.v1.Resource"];
const SCOPE = TAGS["opentelemetry.proto.common.v1.InstrumentationScope"];

const KNOWN = {
  request: knownFieldMask(REQUEST),
  resourceSpans: knownFieldMask(RESOURCE_SPANS),
  scopeSpans: knownFieldMask(SCOPE_SPANS),
  span: knownFieldMask(SPAN),
  event: knownFieldMask(EVENT),
  link: knownFieldMask(LINK),
  status: knownFieldMask(STATUS),
  resource: knownFieldMask(RESOURCE),
  scope: knownFieldMask(SCOPE),
};

const INT32_MAX = 0x7fffffff;
const NO_ATTRIBUTES: Attributes = Object.freeze({});
const NO_KEYS: readonly string[] = [];

class TraceRowsDecoder {
  private readonly r: WireReader;
  private readonly pending: PendingSpanRows = { rows: [], idProblems: new Map(), parentProblems: new Map(), scopes: [] };
  private readonly limits: SpanLimits;
  /** Values the last resource read had truncated; counted on each of its spans. */
  private resourceTruncated = 0;
  /** Values the last event or link read had truncated. */
  private lastTruncated = 0;
  private readonly kv: KeyValueReader;
  // The last Status and InstrumentationScope read, so that reading one allocates nothing extra.
  private statusCode = 0;
  private statusMessage = "";
  private scopeName = "";
  private scopeVersion = "";

  constructor(bytes: Uint8Array, limits: FastTraceDecodeLimits) {
    this.r = new WireReader(bytes);
    this.kv = new KeyValueReader(this.r);
    this.limits = resolveSpanLimits(limits);
  }

  request(): PendingSpanRows {
    const r = this.r;
    const end = r.length;
    let resourceIndex = 0;
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === REQUEST.resourceSpans) this.resourceSpans(r.lengthEnd(end), resourceIndex++);
      else r.skipUnknown(tag, KNOWN.request, end);
    }
    return this.pending;
  }

  private resourceSpans(end: number, resourceIndex: number): void {
    const r = this.r;
    const rows = this.pending.rows;
    const firstRow = rows.length;
    let resource: Attributes | null = null;
    let resourceTruncated = 0;
    let scopeIndex = 0;
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === RESOURCE_SPANS.scopeSpans) this.scopeSpans(r.lengthEnd(end), resourceIndex, scopeIndex++);
      else if (tag === RESOURCE_SPANS.resource) {
        resource = this.resource(r.lengthEnd(end));
        resourceTruncated = this.resourceTruncated;
      }
      else if (tag === RESOURCE_SPANS.schemaUrl) r.pos = r.lengthEnd(end);
      else r.skipUnknown(tag, KNOWN.resourceSpans, end);
    }
    // The resource may follow its spans on the wire, so its fields are filled in once the message is read.
    const resourceAttributes = resource ?? {};
    const serviceName = serviceNameOf(resourceAttributes);
    const serviceVersion = stringAttribute(resourceAttributes, "service.version");
    const resourceAttempt = spanSemconvFields(NO_ATTRIBUTES, resourceAttributes, NO_KEYS).jobAttempt;
    for (let i = firstRow; i < rows.length; i++) {
      const row = rows[i]!;
      row.serviceName = serviceName;
      row.serviceVersion = serviceVersion;
      row.resourceAttributes = resourceAttributes;
      row.jobAttempt ??= resourceAttempt;
      row.truncatedValuesCount = (row.truncatedValuesCount ?? 0) + resourceTruncated;
    }
  }

  private resource(end: number): Attributes {
    const r = this.r;
    const set = new AttributeSet(this.limits.resourceAttributeCountLimit, this.limits.attributeValueLengthLimit);
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === RESOURCE.attributes) {
        this.kv.keyValue(r.lengthEnd(end), 0);
        set.add(this.kv.key, this.kv.value);
      } else if (tag === RESOURCE.droppedAttributesCount) r.uint32(end);
      else r.skipUnknown(tag, KNOWN.resource, end);
    }
    this.resourceTruncated = set.truncated;
    return set.attributes;
  }

  private scopeSpans(end: number, resourceIndex: number, scopeIndex: number): void {
    const r = this.r;
    const rows = this.pending.rows;
    const firstRow = rows.length;
    this.pending.scopes.push({ resourceIndex, scopeIndex, firstRow });
    let scopeName = "";
    let scopeVersion = "";
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === SCOPE_SPANS.spans) this.span(r.lengthEnd(end));
      else if (tag === SCOPE_SPANS.scope) {
        this.scope(r.lengthEnd(end));
        scopeName = this.scopeName;
        scopeVersion = this.scopeVersion;
      } else if (tag === SCOPE_SPANS.schemaUrl) r.pos = r.lengthEnd(end);
      else r.skipUnknown(tag, KNOWN.scopeSpans, end);
    }
    for (let i = firstRow; i < rows.length; i++) {
      const row = rows[i]!;
      row.scopeName = scopeName;
      row.scopeVersion = scopeVersion;
    }
  }

  /** Scope attributes are not stored, but are read so that a malformed one leaves the fast path as it fails the walk. */
  private scope(end: number): void {
    const r = this.r;
    let name = "";
    let version = "";
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === SCOPE.name) name = r.name(end);
      else if (tag === SCOPE.version) version = r.name(end);
      else if (tag === SCOPE.attributes) this.kv.keyValue(r.lengthEnd(end), 0);
      else if (tag === SCOPE.droppedAttributesCount) r.uint32(end);
      else r.skipUnknown(tag, KNOWN.scope, end);
    }
    this.scopeName = name;
    this.scopeVersion = version;
  }

  private span(end: number): void {
    const r = this.r;
    let traceId = "";
    let spanId = "";
    let traceState = "";
    let parentSpanId = "";
    let name = "";
    let kind = 0;
    let startTimeUnixNano = 0n;
    let endTimeUnixNano = 0n;
    const attributes = new AttributeSet(this.limits.attributeCountLimit, this.limits.attributeValueLengthLimit);
    let droppedAttributesCount = 0;
    let truncated = 0;
    const events: SpanEventRow[] = [];
    let eventCount = 0;
    let droppedEventsCount = 0;
    const links: SpanLinkRow[] = [];
    let linkCount = 0;
    let droppedLinksCount = 0;
    let statusCode = 0;
    let statusMessage = "";
    while (r.pos < end) {
      const tag = r.uint32(end);
      switch (tag) {
        case SPAN.traceId: traceId = r.hex(end); break;
        case SPAN.spanId: spanId = r.hex(end); break;
        case SPAN.traceState: traceState = r.string(end); break;
        case SPAN.parentSpanId: parentSpanId = r.hex(end); break;
        case SPAN.name: name = r.name(end); break;
        case SPAN.kind: kind = this.enumValue(end); break;
        case SPAN.startTimeUnixNano: startTimeUnixNano = r.fixed64(end); break;
        case SPAN.endTimeUnixNano: endTimeUnixNano = r.fixed64(end); break;
        case SPAN.attributes:
          this.kv.keyValue(r.lengthEnd(end), 0);
          attributes.add(this.kv.key, this.kv.value);
          break;
        case SPAN.droppedAttributesCount: droppedAttributesCount = r.uint32(end); break;
        case SPAN.events: {
          const event = this.event(r.lengthEnd(end));
          if (eventCount++ < this.limits.eventCountLimit) {
            events.push(event);
            truncated += this.lastTruncated;
          }
          break;
        }
        case SPAN.droppedEventsCount: droppedEventsCount = r.uint32(end); break;
        case SPAN.links: {
          const link = this.link(r.lengthEnd(end));
          linkCount++;
          if (link !== null && links.length < this.limits.linkCountLimit) {
            links.push(link);
            truncated += this.lastTruncated;
          }
          break;
        }
        case SPAN.droppedLinksCount: droppedLinksCount = r.uint32(end); break;
        case SPAN.status:
          this.status(r.lengthEnd(end));
          statusCode = this.statusCode;
          statusMessage = this.statusMessage;
          break;
        default: r.skipUnknown(tag, KNOWN.span, end);
      }
    }
    const rows = this.pending.rows;
    const index = rows.length;
    const traceProblem = traceIdProblem(traceId);
    const spanProblem = traceProblem === null ? spanIdProblem(spanId) : null;
    if (traceProblem !== null) this.pending.idProblems.set(index, `traceId: ${traceProblem}`);
    else if (spanProblem !== null) this.pending.idProblems.set(index, `spanId: ${spanProblem}`);
    const parent = parentSpanIdOf(parentSpanId);
    if (!parent.ok) this.pending.parentProblems.set(index, `parentSpanId: ${parent.reason}`);
    const own = attributes.attributes;
    // Span-only semconv now; the resource's job attempt and the job ID keys are applied later (see the callers).
    const semconv = spanSemconvFields(own, NO_ATTRIBUTES, NO_KEYS);
    rows.push({
      traceId,
      spanId,
      parentSpanId: parent.ok ? parent.value : null,
      traceState,
      serviceName: "",
      serviceVersion: null,
      scopeName: "",
      scopeVersion: "",
      name,
      kind: KIND_NAMES[kind] ?? "INTERNAL",
      statusCode: STATUS_NAMES[statusCode] ?? "UNSET",
      statusMessage,
      startTimeUnixNano,
      endTimeUnixNano,
      durationNs: endTimeUnixNano - startTimeUnixNano,
      attributes: own,
      droppedAttributesCount: droppedAttributesCount + attributes.dropped,
      resourceAttributes: NO_ATTRIBUTES,
      events,
      droppedEventsCount: droppedEventsCount + eventCount - events.length,
      links,
      droppedLinksCount: droppedLinksCount + linkCount - links.length,
      truncatedValuesCount: truncated + attributes.truncated,
      jobId: null,
      jobAttempt: semconv.jobAttempt,
      messagingSystem: semconv.messagingSystem,
      messagingOperation: semconv.messagingOperation,
      messagingDestinationName: semconv.messagingDestinationName,
      messagingMessageId: semconv.messagingMessageId,
      httpMethod: semconv.httpMethod,
      httpRoute: semconv.httpRoute,
      httpStatusCode: semconv.httpStatusCode,
    });
  }

  /** An int32 enum; a negative one is refused by the field walk, so it leaves the fast path. */
  private enumValue(end: number): number {
    const n = this.r.uint32(end);
    if (n > INT32_MAX) throw NOT_FAST_PATH;
    return n;
  }

  private event(end: number): SpanEventRow {
    const r = this.r;
    let timeUnixNano = 0n;
    let name = "";
    const attributes = new AttributeSet(this.limits.attributePerEventCountLimit, this.limits.attributeValueLengthLimit);
    let droppedAttributesCount = 0;
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === EVENT.attributes) {
        this.kv.keyValue(r.lengthEnd(end), 0);
        attributes.add(this.kv.key, this.kv.value);
      } else if (tag === EVENT.timeUnixNano) timeUnixNano = r.fixed64(end);
      else if (tag === EVENT.name) name = r.name(end);
      else if (tag === EVENT.droppedAttributesCount) droppedAttributesCount = r.uint32(end);
      else r.skipUnknown(tag, KNOWN.event, end);
    }
    this.lastTruncated = attributes.truncated;
    return { timeUnixNano, name, attributes: attributes.attributes, droppedAttributesCount: droppedAttributesCount + attributes.dropped };
  }

  /** A link row, or null for a link whose IDs are malformed (dropped and counted, as normaliseTraces does). */
  private link(end: number): SpanLinkRow | null {
    const r = this.r;
    let traceId = "";
    let spanId = "";
    let traceState = "";
    const attributes = new AttributeSet(this.limits.attributePerLinkCountLimit, this.limits.attributeValueLengthLimit);
    let droppedAttributesCount = 0;
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === LINK.attributes) {
        this.kv.keyValue(r.lengthEnd(end), 0);
        attributes.add(this.kv.key, this.kv.value);
      } else if (tag === LINK.traceId) traceId = r.hex(end);
      else if (tag === LINK.spanId) spanId = r.hex(end);
      else if (tag === LINK.traceState) traceState = r.string(end);
      else if (tag === LINK.droppedAttributesCount) droppedAttributesCount = r.uint32(end);
      else r.skipUnknown(tag, KNOWN.link, end);
    }
    if (traceIdProblem(traceId) !== null || spanIdProblem(spanId) !== null) return null;
    this.lastTruncated = attributes.truncated;
    return { traceId, spanId, traceState, attributes: attributes.attributes, droppedAttributesCount: droppedAttributesCount + attributes.dropped };
  }

  private status(end: number): void {
    const r = this.r;
    let code = 0;
    let message = "";
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag === STATUS.code) code = this.enumValue(end);
      else if (tag === STATUS.message) message = r.string(end);
      else r.skipUnknown(tag, KNOWN.status, end);
    }
    this.statusCode = code;
    this.statusMessage = message;
  }
}

/**
 * Span rows for a protobuf trace request, pending the clock and job ID keys (see pending-span-rows.ts), or null
 * when the body is not plainly encoded and must go through `decodeTraceRequest`. Never throws.
 */
export function decodeTraceRowsFast(bytes: Uint8Array, limits: FastTraceDecodeLimits = {}): PendingSpanRows | null {
  try {
    return new TraceRowsDecoder(bytes, limits).request();
  } catch {
    // NOT_FAST_PATH, or anything unforeseen such as stack exhaustion: the generated decoder decides.
    return null;
  }
}
