// Bulk SQL for spans and their rollups. Spans go in by COPY (span-copy.ts): per 1,000 spans measured here 21 ms
// against 46 ms for ONE jsonb_to_recordset INSERT on PostgreSQL (36 against 88 ms on PGlite), and against 35 ms for
// COPY into a staging table plus INSERT … SELECT ON CONFLICT. A batch holding a span already stored goes in by that
// jsonb INSERT with ON CONFLICT DO NOTHING instead. Either way the keys stored are known, so rollups count a
// re-sent span once.
import type { SpanRow } from "../core/otlp/normalise-traces";
import type { SpanRollup } from "../core/rollups/span-rollup";
import { pgIntArray, pgJson, pgText } from "../../db/pg-values";
import { droppedCounts, SPAN_COPY_COLUMNS, spansToCopyText } from "./span-copy";
import type { SqlRunner } from "../../db/sql-runner";

export function spanKey(s: { traceId: string; spanId: string; startTimeUnixNano: bigint }): string {
  return `${s.traceId}:${s.spanId}:${s.startTimeUnixNano}`;
}

const COLUMNS = [
  ["trace_id", "text"], ["span_id", "text"], ["parent_span_id", "text"], ["trace_state", "text"], ["service", "text"],
  ["service_version", "text"], ["scope_name", "text"], ["scope_version", "text"], ["name", "text"], ["kind", "text"],
  ["status_code", "text"], ["status_message", "text"], ["start_ns", "int8"], ["end_ns", "int8"], ["duration_ns", "int8"],
  ["job_id", "text"], ["job_attempt", "int4"], ["messaging_system", "text"], ["messaging_operation", "text"],
  ["messaging_destination", "text"], ["messaging_message_id", "text"], ["http_method", "text"], ["http_route", "text"],
  ["http_status_code", "int4"], ["attributes", "jsonb"], ["resource", "jsonb"], ["events", "jsonb"], ["links", "jsonb"],
  ["dropped_counts", "int4[]"],
] as const;

const names = COLUMNS.map(([n]) => n).join(", ");
// A batch holds a few resources shared by many spans: each is sent once, and spans refer to it by index.
const selectList = COLUMNS.map(([n]) => (n === "resource" ? "($2::jsonb) -> r.resource_ref" : n)).join(", ");
const recordType = COLUMNS.map(([n, t]) => (n === "resource" ? "resource_ref int4" : `${n} ${t}`)).join(", ");

/** The bulk insert into `spans`, or into a table of the same columns (the benchmark's raw baseline). */
export function spanInsertSql(table = "spans"): string {
  return `INSERT INTO ${table} (${names}) SELECT ${selectList} FROM jsonb_to_recordset($1::jsonb) AS r(${recordType})
ON CONFLICT DO NOTHING RETURNING trace_id, span_id, start_ns::text AS start_ns`;
}

const INSERT_SPANS = spanInsertSql();

function spanRecord(s: SpanRow, resourceRef: number): Record<string, unknown> {
  return {
    trace_id: s.traceId, span_id: s.spanId, parent_span_id: s.parentSpanId, trace_state: s.traceState, service: s.serviceName,
    service_version: s.serviceVersion, scope_name: s.scopeName, scope_version: s.scopeVersion, name: s.name, kind: s.kind,
    status_code: s.statusCode, status_message: s.statusMessage, start_ns: String(s.startTimeUnixNano), end_ns: String(s.endTimeUnixNano),
    duration_ns: String(s.durationNs), job_id: s.jobId, job_attempt: s.jobAttempt, messaging_system: s.messagingSystem,
    messaging_operation: s.messagingOperation, messaging_destination: s.messagingDestinationName, messaging_message_id: s.messagingMessageId,
    http_method: s.httpMethod, http_route: s.httpRoute, http_status_code: s.httpStatusCode, attributes: s.attributes, resource_ref: resourceRef,
    events: s.events.map((e) => ({ timeUnixNano: String(e.timeUnixNano), name: e.name, attributes: e.attributes, droppedAttributesCount: e.droppedAttributesCount })),
    links: s.links, dropped_counts: droppedCounts(s),
  };
}

/** The statement's parameters: every span as a record and the distinct resources, made safe for jsonb. */
export function spanDocument(spans: readonly SpanRow[]): [string, string] {
  const refs = new Map<object, number>();
  const records = spans.map((s) => {
    let ref = refs.get(s.resourceAttributes);
    if (ref === undefined) refs.set(s.resourceAttributes, (ref = refs.size));
    return spanRecord(s, ref);
  });
  return [pgJson(records), pgJson([...refs.keys()])];
}

/** COPY into `spans`, or into a table of the same columns (the benchmark's raw baseline). */
export function copySpans(sql: SqlRunner, spans: readonly SpanRow[], table = "spans"): Promise<void> {
  return sql.copyRows(`${table} (${SPAN_COPY_COLUMNS.join(", ")})`, spansToCopyText(spans));
}

const UNIQUE_VIOLATION = "23505";

/**
 * Inserts spans (already free of in-batch duplicates); returns the keys of the rows that were new. `tx` must be a
 * transaction. COPY has no ON CONFLICT: when one span is already stored (a re-sent batch, or another writer
 * committing the same span first) the COPY fails as a whole, and the batch goes in again by the statement that
 * skips stored rows. Re-sends are rare, so the wasted COPY costs less than staging every batch.
 */
export async function insertSpans(tx: SqlRunner, spans: readonly SpanRow[]): Promise<Set<string>> {
  if (spans.length === 0) return new Set();
  await tx.exec("SAVEPOINT insert_spans");
  try {
    await copySpans(tx, spans);
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    await tx.exec("ROLLBACK TO SAVEPOINT insert_spans");
    const rows = await tx.query<{ trace_id: string; span_id: string; start_ns: string }>(INSERT_SPANS, spanDocument(spans));
    return new Set(rows.map((r) => `${r.trace_id}:${r.span_id}:${r.start_ns}`));
  }
  await tx.exec("RELEASE SAVEPOINT insert_spans");
  return new Set(spans.map(spanKey));
}

const UPSERT_ROLLUPS = `INSERT INTO span_minute_rollups AS r (minute, service, name, kind, count, error_count, duration_sum_ns, duration_max_ns, last_end_ns, buckets)
SELECT u.minute, u.service, u.name, u.kind, u.count, u.error_count, u.duration_sum_ns, u.duration_max_ns, u.last_end_ns, u.buckets::int4[]
FROM unnest($1::int4[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::int8[], $7::float8[], $8::int8[], $9::int8[], $10::text[])
  AS u(minute, service, name, kind, count, error_count, duration_sum_ns, duration_max_ns, last_end_ns, buckets)
ON CONFLICT (service, minute, name, kind) DO UPDATE SET
  count = r.count + EXCLUDED.count,
  error_count = r.error_count + EXCLUDED.error_count,
  duration_sum_ns = r.duration_sum_ns + EXCLUDED.duration_sum_ns,
  duration_max_ns = greatest(r.duration_max_ns, EXCLUDED.duration_max_ns),
  last_end_ns = greatest(r.last_end_ns, EXCLUDED.last_end_ns),
  buckets = ARRAY(SELECT a + b FROM unnest(r.buckets, EXCLUDED.buckets) WITH ORDINALITY AS t(a, b, i) ORDER BY i)`;

/** Adds rollups (sorted by key, one per key) to the stored minutes. */
export async function upsertSpanRollups(tx: SqlRunner, rollups: readonly SpanRollup[]): Promise<void> {
  if (rollups.length === 0) return;
  await tx.query(UPSERT_ROLLUPS, [
    rollups.map((r) => r.minute), rollups.map((r) => pgText(r.service)), rollups.map((r) => pgText(r.name)), rollups.map((r) => r.kind),
    rollups.map((r) => r.count), rollups.map((r) => r.errorCount), rollups.map((r) => r.durationSumNs), rollups.map((r) => String(r.durationMaxNs)),
    rollups.map((r) => String(r.lastEndNs)), rollups.map((r) => pgIntArray(r.buckets)),
  ]);
}

/** End times of stored PRODUCER spans by (trace ID, span ID): queue wait pairs consumers with producers of earlier batches. */
export async function findProducerEnds(tx: SqlRunner, ids: readonly { traceId: string; spanId: string }[]): Promise<{ spanId: string; endTimeUnixNano: bigint }[]> {
  if (ids.length === 0) return [];
  const rows = await tx.query<{ span_id: string; end_ns: string }>(
    `SELECT s.span_id, s.end_ns::text AS end_ns FROM spans s
     JOIN unnest($1::text[], $2::text[]) AS w(trace_id, span_id) ON s.trace_id = w.trace_id AND s.span_id = w.span_id
     WHERE s.kind = 'PRODUCER'`,
    [ids.map((i) => i.traceId), ids.map((i) => i.spanId)],
  );
  return rows.map((r) => ({ spanId: r.span_id, endTimeUnixNano: BigInt(r.end_ns) }));
}
