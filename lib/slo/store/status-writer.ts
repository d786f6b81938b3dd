// Writes the latest evaluation of every SLO into slo_status in one statement per engine tick.
import type { SqlRunner } from "../../db/sql-runner";

export type SloStatusRow = {
  sloId: string;
  evaluatedAt: Date;
  noData: boolean;
  sliRatio: number | null;
  /** Null with no data. */
  budgetRemainingRatio: number | null;
  budgetConsumedRatio: number | null;
  firingSeverity: string | null;
  exhaustionAt: Date | null;
  report: unknown;
};

/** One upsert for all rows: 1,000 SLOs cost one round trip, not 1,000 transactions. */
export async function writeSloStatuses(sql: SqlRunner, rows: readonly SloStatusRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO slo_status (slo_id, evaluated_at, no_data, sli_ratio, budget_remaining_ratio, budget_consumed_ratio, firing_severity, exhaustion_at, report)
     SELECT slo_id, evaluated_at, no_data, sli_ratio, budget_remaining_ratio, budget_consumed_ratio, firing_severity, exhaustion_at, report::jsonb
     FROM unnest($1::uuid[], $2::timestamptz[], $3::boolean[], $4::float8[], $5::float8[], $6::float8[], $7::text[], $8::timestamptz[], $9::text[])
       AS u(slo_id, evaluated_at, no_data, sli_ratio, budget_remaining_ratio, budget_consumed_ratio, firing_severity, exhaustion_at, report)
     ON CONFLICT (slo_id) DO UPDATE SET evaluated_at = EXCLUDED.evaluated_at, no_data = EXCLUDED.no_data, sli_ratio = EXCLUDED.sli_ratio,
       budget_remaining_ratio = EXCLUDED.budget_remaining_ratio, budget_consumed_ratio = EXCLUDED.budget_consumed_ratio,
       firing_severity = EXCLUDED.firing_severity, exhaustion_at = EXCLUDED.exhaustion_at, report = EXCLUDED.report`,
    [
      rows.map((r) => r.sloId),
      rows.map((r) => r.evaluatedAt.toISOString()),
      rows.map((r) => r.noData),
      rows.map((r) => r.sliRatio),
      rows.map((r) => r.budgetRemainingRatio),
      rows.map((r) => r.budgetConsumedRatio),
      rows.map((r) => r.firingSeverity),
      rows.map((r) => r.exhaustionAt?.toISOString() ?? null),
      rows.map((r) => JSON.stringify(r.report)),
    ],
  );
}
