// Telemetry retention: drops day partitions of raw tables past their signal's retention and deletes old rows of
// the derived tables. Run by the engine leader; the writer refuses rows that retention would already drop.
import { dayOfNs, listPartitions, type PartitionedTable } from "./partitions";
import type { SqlRunner } from "../../db/sql-runner";

export type RetentionDays = { spans: number; logs: number; metrics: number; rollups: number };

export const DEFAULT_RETENTION_DAYS: RetentionDays = { spans: 7, logs: 7, metrics: 30, rollups: 35 };

const NS_PER_DAY = 86_400_000_000_000n;

export function retentionOf(table: PartitionedTable, retention: RetentionDays): number {
  return table === "spans" ? retention.spans : table === "logs" ? retention.logs : retention.metrics;
}

/** The oldest day whose partition is kept: day D goes once all of it is older than now − retention. */
export function oldestKeptDay(nowNs: bigint, retentionDays: number): number {
  return dayOfNs(nowNs - BigInt(retentionDays) * NS_PER_DAY);
}

export type RetentionSummary = { droppedPartitions: string[]; deletedRollups: number; deletedMetricAggregates: number; deletedJobs: number; deletedFlowRollups: number };

export async function applyTelemetryRetention(sql: SqlRunner, opts: { now: Date; retention: RetentionDays }): Promise<RetentionSummary> {
  const nowNs = BigInt(opts.now.getTime()) * 1_000_000n;
  const droppedPartitions: string[] = [];
  for (const table of ["spans", "logs", "metric_points"] as const) {
    const keepFrom = oldestKeptDay(nowNs, retentionOf(table, opts.retention));
    for (const p of await listPartitions(sql, table)) {
      if (p.day >= keepFrom) continue;
      await sql.exec(`DROP TABLE IF EXISTS "${p.name}"`);
      droppedPartitions.push(p.name);
    }
  }
  const cutoffNs = nowNs - BigInt(opts.retention.rollups) * NS_PER_DAY;
  const cutoffMinute = Number(cutoffNs / 60_000_000_000n);
  const count = async (statement: string, param: unknown) => (await sql.query<{ n: number }>(`WITH d AS (${statement} RETURNING 1) SELECT count(*)::int AS n FROM d`, [param]))[0]?.n ?? 0;
  return {
    droppedPartitions,
    deletedRollups: await count(`DELETE FROM span_minute_rollups WHERE minute < $1`, cutoffMinute),
    deletedMetricAggregates: await count(`DELETE FROM metric_minute_aggregates WHERE minute < $1`, cutoffMinute),
    deletedJobs: await count(`DELETE FROM jobs WHERE last_seen_ns < $1`, String(cutoffNs)),
    deletedFlowRollups: await count(`DELETE FROM flow_rollups WHERE bucket < $1`, cutoffMinute * 60),
  };
}
