// The benchmark's baseline: the same span rows bulk-inserted into a plain table with the same columns and keys,
// without HTTP, decoding, rollups, job index or partitions, by each bulk method the product could use (COPY, and
// one jsonb_to_recordset INSERT per batch); the baseline is the faster of the two in this run, serialising included.
import type { SqlRunner } from "../lib/db/sql-runner";
import { copySpans, spanDocument, spanInsertSql } from "../lib/telemetry/write/spans";
import type { IngestBatch } from "../lib/telemetry/receive/sink";
import { normaliseTraces, type SpanRow } from "../lib/telemetry/core/otlp/normalise-traces";

export type RawInsertMethod = "copy" | "jsonb";
export type RawInsertResult = { rowsPerS: number; rows: number; method: RawInsertMethod; byMethod: Record<RawInsertMethod, number> };

const METHODS: Record<RawInsertMethod, (sql: SqlRunner, batch: readonly SpanRow[], table: string) => Promise<unknown>> = {
  copy: (sql, batch, table) => copySpans(sql, batch, table),
  jsonb: (sql, batch, table) => sql.query(spanInsertSql(table), spanDocument(batch)),
};

async function rowsPerS(sql: SqlRunner, batches: readonly SpanRow[][], concurrency: number, method: RawInsertMethod): Promise<number> {
  const table = `bench_raw_spans_${method}`;
  await sql.exec(`CREATE TABLE ${table} (LIKE spans INCLUDING DEFAULTS, PRIMARY KEY (trace_id, span_id, start_ns));
    CREATE INDEX ON ${table} (job_id) WHERE job_id IS NOT NULL`);
  const queue = [...batches];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) await METHODS[method](sql, batch, table);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await sql.exec(`DROP TABLE ${table}`);
  return batches.reduce((n, b) => n + b.length, 0) / seconds;
}

export async function measureRawInsert(sql: SqlRunner, batches: readonly IngestBatch[], concurrency: number): Promise<RawInsertResult> {
  const nowUnixNano = BigInt(Date.now()) * 1_000_000n;
  const rows = batches.flatMap((b) => (b.signal === "traces" ? [normaliseTraces(b.request, { nowUnixNano }).spans] : []));
  const byMethod = { jsonb: await rowsPerS(sql, rows, concurrency, "jsonb"), copy: await rowsPerS(sql, rows, concurrency, "copy") };
  const method: RawInsertMethod = byMethod.copy >= byMethod.jsonb ? "copy" : "jsonb";
  return { rowsPerS: byMethod[method], rows: rows.reduce((n, b) => n + b.length, 0), method, byMethod };
}
