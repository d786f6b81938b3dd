// The flow_rollups table: merged at ingest in the spans transaction, read by the detection job.
import type { FlowKind, FlowRollup } from "../core/rollups/flow-rollup";
import type { SqlRunner } from "../../db/sql-runner";
import { pgText } from "../../db/pg-values";

const UPSERT = `INSERT INTO flow_rollups AS r (bucket, flow, service, target, count, error_count, retry_count, duration_sum_ns, miss_count, retry_gap_count, retry_gap_log_ms_sum)
SELECT * FROM unnest($1::int4[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::int8[], $7::int8[], $8::float8[], $9::int8[], $10::int8[], $11::float8[])
ON CONFLICT (bucket, flow, service, target) DO UPDATE SET
  count = r.count + EXCLUDED.count,
  error_count = r.error_count + EXCLUDED.error_count,
  retry_count = r.retry_count + EXCLUDED.retry_count,
  duration_sum_ns = r.duration_sum_ns + EXCLUDED.duration_sum_ns,
  miss_count = r.miss_count + EXCLUDED.miss_count,
  retry_gap_count = r.retry_gap_count + EXCLUDED.retry_gap_count,
  retry_gap_log_ms_sum = r.retry_gap_log_ms_sum + EXCLUDED.retry_gap_log_ms_sum`;

/** Adds rollups (sorted by key, one per key) to the stored buckets. */
export async function upsertFlowRollups(tx: SqlRunner, rollups: readonly FlowRollup[]): Promise<void> {
  if (rollups.length === 0) return;
  await tx.query(UPSERT, [
    rollups.map((r) => r.bucket), rollups.map((r) => r.flow), rollups.map((r) => pgText(r.service)), rollups.map((r) => pgText(r.target)),
    rollups.map((r) => r.count), rollups.map((r) => r.errorCount), rollups.map((r) => r.retryCount), rollups.map((r) => r.durationSumNs), rollups.map((r) => r.missCount),
    rollups.map((r) => r.retryGapCount ?? 0), rollups.map((r) => r.retryGapLogMsSum ?? 0),
  ]);
}

/** Every stored rollup with `fromBucket <= bucket < toBucket` (Unix seconds). */
export async function readFlowRollups(sql: SqlRunner, range: { fromBucket: number; toBucket: number }): Promise<FlowRollup[]> {
  const rows = await sql.query<{
    bucket: number; flow: FlowKind; service: string; target: string; count: string; error_count: string; retry_count: string; duration_sum_ns: number; miss_count: string;
    retry_gap_count: string; retry_gap_log_ms_sum: number;
  }>(
    `SELECT bucket, flow, service, target, count::text, error_count::text, retry_count::text, duration_sum_ns, miss_count::text,
       retry_gap_count::text, retry_gap_log_ms_sum FROM flow_rollups
     WHERE bucket >= $1 AND bucket < $2 ORDER BY bucket`,
    [range.fromBucket, range.toBucket],
  );
  return rows.map((r) => ({
    bucket: Number(r.bucket), flow: r.flow, service: r.service, target: r.target,
    count: Number(r.count), errorCount: Number(r.error_count), retryCount: Number(r.retry_count), durationSumNs: Number(r.duration_sum_ns), missCount: Number(r.miss_count),
    retryGapCount: Number(r.retry_gap_count), retryGapLogMsSum: Number(r.retry_gap_log_ms_sum),
  }));
}
