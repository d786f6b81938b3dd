// Turns a decoded trace request into flat, validated `SpanRow`s, counting rejected spans as OTLP partial success does.
import { keyValuesToAttributes, serviceNameOf, stringAttribute, type Attributes } from "./attributes";
import { parentSpanIdOf, spanIdProblem, traceIdProblem } from "./id-checks";
import { resolveSpanLimits, type SpanLimitOptions, type SpanLimits } from "./span-limits";
import { DEFAULT_JOB_ID_KEYS, spanSemconvFields, type SpanSemconvFields } from "./span-semconv";
import { timestampProblem, type TimeBounds } from "./time-bounds";
import type { OtlpSpan, OtlpSpanEvent, OtlpSpanLink, OtlpTraceRequest } from "./types";

export type SpanKindName = "INTERNAL" | "SERVER" | "CLIENT" | "PRODUCER" | "CONSUMER";
export type SpanStatusCodeName = "UNSET" | "OK" | "ERROR";

// SPAN_KIND_UNSPECIFIED (0) and unknown values read as INTERNAL, the spec's default kind.
export const KIND_NAMES: readonly SpanKindName[] = ["INTERNAL", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];
export const STATUS_NAMES: readonly SpanStatusCodeName[] = ["UNSET", "OK", "ERROR"];

export interface SpanEventRow {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanLinkRow {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanRow extends SpanSemconvFields {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  traceState: string;
  serviceName: string;
  serviceVersion: string | null;
  scopeName: string;
  scopeVersion: string;
  name: string;
  kind: SpanKindName;
  statusCode: SpanStatusCodeName;
  statusMessage: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  durationNs: bigint;
  attributes: Attributes;
  droppedAttributesCount: number;
  resourceAttributes: Attributes;
  events: SpanEventRow[];
  droppedEventsCount: number;
  links: SpanLinkRow[];
  droppedLinksCount: number;
  /** Attribute values (the span's, its events', links' and resource's) whose strings were cut to the length limit. */
  truncatedValuesCount?: number;
}

export interface NormaliseTracesOptions extends TimeBounds, SpanLimitOptions {
  /** Extra job ID attribute keys, tried after `job.id`. */
  jobIdKeys?: readonly string[];
}

export interface NormaliseTracesResult {
  spans: SpanRow[];
  rejectedSpans: number;
  /** One example of why spans were rejected (the first), for ExportTracePartialSuccess.error_message. */
  errorMessage: string | null;
}

function spanProblem(span: OtlpSpan, bounds: TimeBounds): string | null {
  const traceProblem = traceIdProblem(span.traceId);
  if (traceProblem !== null) return `traceId: ${traceProblem}`;
  const idProblem = spanIdProblem(span.spanId);
  if (idProblem !== null) return `spanId: ${idProblem}`;
  const startProblem = timestampProblem(span.startTimeUnixNano, bounds);
  if (startProblem !== null) return `startTimeUnixNano: ${startProblem}`;
  const endProblem = timestampProblem(span.endTimeUnixNano, bounds);
  if (endProblem !== null) return `endTimeUnixNano: ${endProblem}`;
  if (span.endTimeUnixNano < span.startTimeUnixNano) return "endTimeUnixNano: before startTimeUnixNano";
  return null;
}

/** Counts truncated values into `cut.n` as rows are made. */
type Tally = { n: number };

function eventToRow(event: OtlpSpanEvent, limits: SpanLimits, cut: Tally): SpanEventRow {
  const { attributes, droppedCount, truncatedCount } = keyValuesToAttributes(event.attributes, limits.attributePerEventCountLimit, limits.attributeValueLengthLimit);
  cut.n += truncatedCount;
  return { timeUnixNano: event.timeUnixNano, name: event.name, attributes, droppedAttributesCount: event.droppedAttributesCount + droppedCount };
}

function linkToRow(link: OtlpSpanLink, limits: SpanLimits, cut: Tally): SpanLinkRow {
  const { attributes, droppedCount, truncatedCount } = keyValuesToAttributes(link.attributes, limits.attributePerLinkCountLimit, limits.attributeValueLengthLimit);
  cut.n += truncatedCount;
  return { traceId: link.traceId, spanId: link.spanId, traceState: link.traceState, attributes, droppedAttributesCount: link.droppedAttributesCount + droppedCount };
}

// A link with a malformed ID is dropped and counted rather than rejecting the span: the span itself is sound.
function validLink(link: OtlpSpanLink): boolean {
  return traceIdProblem(link.traceId) === null && spanIdProblem(link.spanId) === null;
}

export function normaliseTraces(request: OtlpTraceRequest, options: NormaliseTracesOptions): NormaliseTracesResult {
  const limits = resolveSpanLimits(options);
  const jobIdKeys = [...DEFAULT_JOB_ID_KEYS, ...(options.jobIdKeys ?? [])];
  const spans: SpanRow[] = [];
  let rejectedSpans = 0;
  let errorMessage: string | null = null;

  request.resourceSpans.forEach((rs, ri) => {
    const { attributes: resource, truncatedCount: resourceTruncated } = keyValuesToAttributes(rs.resource.attributes, limits.resourceAttributeCountLimit, limits.attributeValueLengthLimit);
    const serviceName = serviceNameOf(resource);
    const serviceVersion = stringAttribute(resource, "service.version");
    rs.scopeSpans.forEach((ss, si) => {
      ss.spans.forEach((span, index) => {
        const parent = parentSpanIdOf(span.parentSpanId);
        const problem = spanProblem(span, options) ?? (parent.ok ? null : `parentSpanId: ${parent.reason}`);
        if (problem !== null || !parent.ok) {
          rejectedSpans++;
          errorMessage ??= `resourceSpans[${ri}].scopeSpans[${si}].spans[${index}].${problem}`;
          return;
        }
        const own = keyValuesToAttributes(span.attributes, limits.attributeCountLimit, limits.attributeValueLengthLimit);
        const links = span.links.filter(validLink);
        const keptLinks = links.slice(0, limits.linkCountLimit);
        const keptEvents = span.events.slice(0, limits.eventCountLimit);
        const cut: Tally = { n: own.truncatedCount + resourceTruncated };
        const events = keptEvents.map((event) => eventToRow(event, limits, cut));
        const linkRows = keptLinks.map((link) => linkToRow(link, limits, cut));
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: parent.value,
          traceState: span.traceState,
          serviceName,
          serviceVersion,
          scopeName: ss.scope.name,
          scopeVersion: ss.scope.version,
          name: span.name,
          kind: KIND_NAMES[span.kind] ?? "INTERNAL",
          statusCode: STATUS_NAMES[span.statusCode] ?? "UNSET",
          statusMessage: span.statusMessage,
          startTimeUnixNano: span.startTimeUnixNano,
          endTimeUnixNano: span.endTimeUnixNano,
          durationNs: span.endTimeUnixNano - span.startTimeUnixNano,
          attributes: own.attributes,
          droppedAttributesCount: span.droppedAttributesCount + own.droppedCount,
          resourceAttributes: resource,
          events,
          droppedEventsCount: span.droppedEventsCount + span.events.length - keptEvents.length,
          links: linkRows,
          droppedLinksCount: span.droppedLinksCount + span.links.length - keptLinks.length,
          truncatedValuesCount: cut.n,
          ...spanSemconvFields(own.attributes, resource, jobIdKeys),
        });
      });
    });
  });
  return { spans, rejectedSpans, errorMessage };
}
