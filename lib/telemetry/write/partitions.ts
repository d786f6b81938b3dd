// Day partitions of the raw telemetry tables: names and bounds, on-demand creation cached per process, and the
// list retention reads. A day is a UTC calendar day; bounds are Unix nanoseconds, as the partition keys are.
import type { SqlRunner } from "../../db/sql-runner";

export type PartitionedTable = "spans" | "metric_points" | "logs";

const NS_PER_DAY = 86_400_000_000_000n;
// Partition DDL takes a strong lock on the parent: one creator at a time, across replicas.
const PARTITION_LOCK_KEY = 7_141_010;

/** Days since the epoch of a nanosecond time. */
export function dayOfNs(ns: bigint): number {
  return Number(ns / NS_PER_DAY);
}

export function dayLabel(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10).replace(/-/g, "");
}

export function partitionName(table: PartitionedTable, day: number): string {
  return `${table}_p${dayLabel(day)}`;
}

export function partitionDdl(table: PartitionedTable, day: number): string {
  const from = BigInt(day) * NS_PER_DAY;
  return `CREATE TABLE IF NOT EXISTS "${partitionName(table, day)}" PARTITION OF "${table}" FOR VALUES FROM (${from}) TO (${from + NS_PER_DAY})`;
}

/** Remembers which partitions this process has made sure of, so the hot path issues no DDL. */
export class PartitionCache {
  private readonly known = new Set<string>();

  constructor(private readonly sql: SqlRunner) {}

  async ensure(table: PartitionedTable, days: Iterable<number>): Promise<void> {
    const missing = [...new Set(days)].filter((d) => !this.known.has(partitionName(table, d)));
    if (missing.length === 0) return;
    await this.sql.withLock(PARTITION_LOCK_KEY, async () => {
      for (const day of missing.sort((a, b) => a - b)) await this.sql.exec(partitionDdl(table, day));
    });
    for (const day of missing) this.known.add(partitionName(table, day));
  }

  /** After a write found a partition missing (retention dropped it): forget everything and re-check. */
  forget(): void {
    this.known.clear();
  }
}

/** The day partitions of a table that exist now, oldest first. */
export async function listPartitions(sql: SqlRunner, table: PartitionedTable): Promise<Array<{ name: string; day: number }>> {
  const rows = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1 AND p.relnamespace = 'public'::regnamespace`,
    [table],
  );
  return rows
    .flatMap((r) => {
      const m = /_p(\d{4})(\d{2})(\d{2})$/.exec(r.name);
      return m ? [{ name: r.name, day: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000 }] : [];
    })
    .sort((a, b) => a.day - b.day);
}
