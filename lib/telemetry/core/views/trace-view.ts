// One trace as the API shows it: spans in start order (IDs hex, times and durations as nanosecond strings,
// since they exceed 2^53) with attributes, events and links, and the log records that carry its trace ID.
import { z } from "zod";

const Nanos = z.string().regex(/^\d+$/);
const Json = z.record(z.string(), z.unknown());
export type Json = z.infer<typeof Json>;

const EventView = z.object({ timeUnixNano: Nanos, name: z.string(), attributes: Json, droppedAttributesCount: z.number() }).strict();
const LinkView = z.object({ traceId: z.string(), spanId: z.string(), traceState: z.string(), attributes: Json, droppedAttributesCount: z.number() }).strict();
export const SpanView = z
  .object({
    traceId: z.string(), spanId: z.string(), parentSpanId: z.string().nullable(), traceState: z.string(), service: z.string(), serviceVersion: z.string().nullable(),
    scopeName: z.string(), name: z.string(), kind: z.string(), statusCode: z.string(), statusMessage: z.string(),
    startTimeUnixNano: Nanos, endTimeUnixNano: Nanos, durationNs: Nanos, jobId: z.string().nullable(), jobAttempt: z.number().nullable(),
    attributes: Json, resource: Json, events: z.array(EventView), links: z.array(LinkView),
    droppedAttributesCount: z.number(), droppedEventsCount: z.number(), droppedLinksCount: z.number(),
    truncatedValuesCount: z.number().describe("attribute values whose strings were cut to OTLP_ATTRIBUTE_VALUE_LENGTH_LIMIT"),
  })
  .strict();
export const LogView = z.object({ timeUnixNano: Nanos, service: z.string(), severityText: z.string(), severityNumber: z.number(), body: z.unknown(), spanId: z.string().nullable(), attributes: Json }).strict();
export const TraceView = z.object({ traceId: z.string(), startTimeUnixNano: Nanos, durationNs: Nanos, services: z.array(z.string()), spans: z.array(SpanView), logs: z.array(LogView) }).strict();

export type TraceSpan = z.infer<typeof SpanView>;
export type TraceLog = z.infer<typeof LogView>;
export type Trace = z.infer<typeof TraceView>;
