// Bulk SQL for log records. OTLP logs carry no ID, so a hash over the record's content is its key: a re-sent
// batch stores nothing new (two byte-identical records at the same nanosecond are kept once).
import { createHash } from "node:crypto";
import type { LogRow } from "../core/otlp/normalise-logs";
import { pgJson, pgText } from "../../db/pg-values";
import type { SqlRunner } from "../../db/sql-runner";

type LogCells = { hash: string; body: string; attributes: string; resource: string };

export function logCells(log: LogRow): LogCells {
  const body = pgJson(log.body);
  const attributes = pgJson(log.attributes);
  const resource = pgJson(log.resourceAttributes);
  const hash = createHash("sha256")
    .update([log.timeUnixNano, log.serviceName, log.scopeName, log.severityNumber, log.severityText, log.traceId, log.spanId, body, attributes, resource].join("\u0000"))
    .digest("hex")
    .slice(0, 32);
  return { hash, body, attributes, resource };
}

const INSERT_LOGS = `INSERT INTO logs (record_hash, time_ns, observed_ns, service, scope_name, severity_number, severity_text, body, body_text, attributes, resource, trace_id, span_id, job_id, flags)
SELECT u.record_hash, u.time_ns, u.observed_ns, u.service, u.scope_name, u.severity_number, u.severity_text, u.body::jsonb, u.body_text, u.attributes::jsonb, u.resource::jsonb, u.trace_id, u.span_id, u.job_id, u.flags
FROM unnest($1::text[], $2::int8[], $3::int8[], $4::text[], $5::text[], $6::int4[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int4[])
  AS u(record_hash, time_ns, observed_ns, service, scope_name, severity_number, severity_text, body, body_text, attributes, resource, trace_id, span_id, job_id, flags)
ON CONFLICT DO NOTHING`;

/** Inserts logs whose cells were computed with logCells (same order, in-batch duplicates removed). */
export async function insertLogs(tx: SqlRunner, logs: readonly LogRow[], cells: readonly LogCells[]): Promise<void> {
  if (logs.length === 0) return;
  await tx.query(INSERT_LOGS, [
    cells.map((c) => c.hash), logs.map((l) => String(l.timeUnixNano)), logs.map((l) => (l.observedTimeUnixNano === null ? null : String(l.observedTimeUnixNano))),
    logs.map((l) => pgText(l.serviceName)), logs.map((l) => pgText(l.scopeName)), logs.map((l) => l.severityNumber), logs.map((l) => pgText(l.severityText)),
    cells.map((c) => c.body), logs.map((l) => pgText(l.bodyText)), cells.map((c) => c.attributes), cells.map((c) => c.resource),
    logs.map((l) => l.traceId), logs.map((l) => l.spanId), logs.map((l) => pgText(l.jobId)), logs.map((l) => l.flags | 0),
  ]);
}
