// The benchmark's baseline: the same span rows bulk-inserted with the same unnest statement into a plain table
// with the same columns and keys, without HTTP, decoding, rollups, job index or partitions.
import type { SqlRunner } from "../lib/db/sql-runner";
import { spanDocument, spanInsertSql } from "../lib/db/telemetry-spans";
import type { IngestBatch } from "../lib/ingest/sink";
import { normaliseTraces } from "../lib/otlp/normalise-traces";

export async function measureRawInsert(sql: SqlRunner, batches: readonly IngestBatch[], concurrency: number): Promise<{ rowsPerS: number; rows: number }> {
  const nowUnixNano = BigInt(Date.now()) * 1_000_000n;
  const rows = batches.flatMap((b) => (b.signal === "traces" ? [normaliseTraces(b.request, { nowUnixNano }).spans] : []));
  await sql.exec(`CREATE TABLE bench_raw_spans (LIKE spans INCLUDING DEFAULTS, PRIMARY KEY (trace_id, span_id, start_ns));
    CREATE INDEX ON bench_raw_spans (job_id) WHERE job_id IS NOT NULL`);
  const insert = spanInsertSql("bench_raw_spans");
  const queue = [...rows];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) await sql.query(insert, spanDocument(batch));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const total = rows.reduce((n, b) => n + b.length, 0);
  await sql.exec(`DROP TABLE bench_raw_spans`);
  return { rowsPerS: total / seconds, rows: total };
}
