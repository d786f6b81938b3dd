// Sums span rollups in SQL per service (and per minute when asked), split into entry spans and the rest, with
// duration buckets summed sparsely (only non-zero buckets travel back).
import type { SqlRunner } from "../../db/sql-runner";
import { ENTRY_KINDS, emptyTotals, type RollupTotals } from "../core/views/red";
import type { MinuteRange } from "../core/views/time-range";

export type RollupSum = { service: string; minute: number | null; entry: boolean; totals: RollupTotals };

export async function sumRollups(sql: SqlRunner, opts: MinuteRange & { service?: string; byMinute: boolean }): Promise<RollupSum[]> {
  const params: unknown[] = [opts.fromMinute, opts.toMinute, ENTRY_KINDS];
  const serviceFilter = opts.service === undefined ? "" : `AND r.service = $${params.push(opts.service)}`;
  const minute = opts.byMinute ? "r.minute" : "NULL::int";
  const where = `WHERE r.minute >= $1 AND r.minute < $2 ${serviceFilter}`;
  const group = `r.service, ${minute}, (r.kind = ANY($3::text[]))`;
  const totals = await sql.query<{ service: string; minute: number | null; entry: boolean; count: number; errors: number }>(
    `SELECT r.service, ${minute} AS minute, (r.kind = ANY($3::text[])) AS entry, sum(r.count)::float8 AS count, sum(r.error_count)::float8 AS errors
     FROM span_minute_rollups r ${where} GROUP BY ${group}`,
    params,
  );
  const buckets = await sql.query<{ service: string; minute: number | null; entry: boolean; i: number; n: number }>(
    `SELECT r.service, ${minute} AS minute, (r.kind = ANY($3::text[])) AS entry, u.i::int AS i, sum(u.b)::float8 AS n
     FROM span_minute_rollups r, unnest(r.buckets) WITH ORDINALITY AS u(b, i) ${where} AND u.b > 0 GROUP BY ${group}, u.i`,
    params,
  );
  const key = (r: { service: string; minute: number | null; entry: boolean }) => `${r.service}\u0000${r.minute}\u0000${r.entry}`;
  const out = new Map<string, RollupSum>();
  for (const t of totals) out.set(key(t), { service: t.service, minute: t.minute, entry: t.entry, totals: { ...emptyTotals(), count: t.count, errors: t.errors } });
  for (const b of buckets) {
    const sum = out.get(key(b));
    if (sum) sum.totals.buckets[b.i - 1] = b.n;
  }
  return [...out.values()];
}
