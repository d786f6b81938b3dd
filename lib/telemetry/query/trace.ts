// One trace as stored: its spans in start order with attributes, events and links, and the log records that
// carry its trace ID, read as the views of ./trace-view.ts.
import type { SqlRunner } from "../../db/sql-runner";
import { DomainError } from "../../errors";
import type { Json, Trace, TraceSpan } from "../core/views/trace-view";

const MAX_SPANS = 10_000;

export async function getTrace(sql: SqlRunner, rawTraceId: string): Promise<Trace> {
  const traceId = rawTraceId.toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(traceId) || /^0+$/.test(traceId)) throw new DomainError("invalid", "traceId: expected 32 hex digits, not all zero", [{ path: "traceId", message: "not a trace ID" }]);
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT trace_id, span_id, parent_span_id, trace_state, service, service_version, scope_name, name, kind, status_code, status_message,
       start_ns::text AS start_ns, end_ns::text AS end_ns, duration_ns::text AS duration_ns, job_id, job_attempt, attributes, resource, events, links, dropped_counts
     FROM spans WHERE trace_id = $1 ORDER BY start_ns, span_id LIMIT ${MAX_SPANS}`,
    [traceId],
  );
  if (rows.length === 0) throw new DomainError("not_found", `no spans stored for trace ${traceId}`);
  const spans = rows.map(rowToSpan);
  const logs = await sql.query<{ time_ns: string; service: string; severity_text: string; severity_number: number; body: unknown; span_id: string | null; attributes: Json }>(
    `SELECT time_ns::text AS time_ns, service, severity_text, severity_number, body, span_id, attributes FROM logs WHERE trace_id = $1 ORDER BY time_ns LIMIT ${MAX_SPANS}`,
    [traceId],
  );
  const start = spans.reduce((m, s) => (BigInt(s.startTimeUnixNano) < m ? BigInt(s.startTimeUnixNano) : m), BigInt(spans[0]?.startTimeUnixNano ?? 0));
  const end = spans.reduce((m, s) => (BigInt(s.endTimeUnixNano) > m ? BigInt(s.endTimeUnixNano) : m), 0n);
  return {
    traceId,
    startTimeUnixNano: String(start),
    durationNs: String(end - start),
    services: [...new Set(spans.map((s) => s.service))].sort(),
    spans,
    logs: logs.map((l) => ({ timeUnixNano: l.time_ns, service: l.service, severityText: l.severity_text, severityNumber: l.severity_number, body: l.body, spanId: l.span_id, attributes: l.attributes })),
  };
}

/** A `spans` row (snake_case columns) as the API's span. */
export function rowToSpan(r: Record<string, unknown>): TraceSpan {
  const dropped = (r.dropped_counts as number[] | null) ?? [0, 0, 0];
  return {
    traceId: r.trace_id as string, spanId: r.span_id as string, parentSpanId: r.parent_span_id as string | null, traceState: r.trace_state as string,
    service: r.service as string, serviceVersion: r.service_version as string | null, scopeName: r.scope_name as string, name: r.name as string,
    kind: r.kind as string, statusCode: r.status_code as string, statusMessage: r.status_message as string,
    startTimeUnixNano: r.start_ns as string, endTimeUnixNano: r.end_ns as string, durationNs: r.duration_ns as string,
    jobId: r.job_id as string | null, jobAttempt: r.job_attempt as number | null, attributes: r.attributes as Json, resource: r.resource as Json,
    events: r.events as TraceSpan["events"], links: r.links as TraceSpan["links"],
    droppedAttributesCount: dropped[0] ?? 0, droppedEventsCount: dropped[1] ?? 0, droppedLinksCount: dropped[2] ?? 0,
    truncatedValuesCount: dropped[3] ?? 0,
  };
}
