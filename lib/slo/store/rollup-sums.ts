// Reads what one engine tick needs from slo_minute_rollups for every SLO in one pass: sums per ring between
// consecutive window edges, instead of fetching every minute row of every SLO's 30-day window.
import type { SqlRunner } from "../../db/sql-runner";
import { windowBounds } from "../core/budget";
import type { SloDefinition } from "../core/definition";
import { unixMinuteOf, type MinuteRollup } from "../core/series";

/** Rows the core functions accept, each summing a range of minutes; sums over the windows they serve are exact. */
export type SloRollupSums = { burnRollups: MinuteRollup[]; budgetRollups: MinuteRollup[] };

/**
 * Window edges as ages in minutes (0 = the current minute): every burn window and the budget window end now,
 * so they nest, and a row per ring between consecutive edges gives each window its exact sum.
 */
export function windowEdges(definition: SloDefinition, now: Date): { edges: number[]; budgetEdge: number } {
  const burn = definition.alertPolicy.burnRateRules.flatMap((r) => [r.shortWindowMinutes, r.longWindowMinutes]);
  const budgetEdge = windowBounds(definition.window, now).elapsedMinutes;
  return { edges: [...new Set([...burn, budgetEdge])].sort((a, b) => a - b), budgetEdge };
}

type RingRow = { slo_id: string; ring: number; good: number; total: number; last_minute: number | null };
type SliceRow = { slo_id: string; minute: number; good: number; total: number };

export async function loadRollupSums(sql: SqlRunner, slos: readonly { id: string; definition: SloDefinition }[], now: Date): Promise<Map<string, SloRollupSums>> {
  const nowMinute = unixMinuteOf(now);
  const plans = new Map(slos.map((s) => [s.id, windowEdges(s.definition, now)]));
  const result = new Map(slos.map((s) => [s.id, { burnRollups: [], budgetRollups: [] } as SloRollupSums]));
  if (slos.length === 0) return result;
  // One edge list for all SLOs (the union of theirs) keeps this a plain scan and GROUP BY, no join: each SLO's
  // edges are among them, so its windows are still exact sums of rings.
  const edges = [...new Set([...plans.values()].flatMap((p) => p.edges))].sort((a, b) => a - b);
  // Every SLO is evaluated, so no id filter (an ANY(1,000 ids) test per row costs more than the rows it skips).
  // width_bucket(age, edges): 0 for ages below the first edge, i for [edges[i-1], edges[i]); older rows are filtered out.
  const rows = await sql.query<RingRow>(
    `SELECT slo_id::text AS slo_id, width_bucket($1::int - minute, $2::int[]) AS ring,
            sum(good)::float8 AS good, sum(total)::float8 AS total, max(minute) FILTER (WHERE total > 0) AS last_minute
     FROM slo_minute_rollups
     WHERE minute <= $1::int AND minute > $1::int - $3::int
     GROUP BY slo_id, ring`,
    [nowMinute, edges, edges.at(-1)!],
  );
  const budgetTotals = new Map<string, { good: number; total: number }>();
  for (const row of rows) {
    const sums = result.get(row.slo_id);
    const plan = plans.get(row.slo_id);
    if (!sums || !plan || edges[row.ring]! > plan.edges.at(-1)!) continue;
    // A ring's row sits at its last minute with events, so "minutes since last data" stays exact too.
    const innerEdge = row.ring === 0 ? 0 : edges[row.ring - 1]!;
    sums.burnRollups.push({ minuteUnix: (row.last_minute ?? nowMinute - innerEdge) * 60, good: row.good, total: row.total });
    if (edges[row.ring]! <= plan.budgetEdge) {
      const budget = budgetTotals.get(row.slo_id) ?? { good: 0, total: 0 };
      budgetTotals.set(row.slo_id, { good: budget.good + row.good, total: budget.total + row.total });
    }
  }
  for (const s of slos) {
    const budget = budgetTotals.get(s.id);
    if (budget && s.definition.budgeting.method === "occurrences") result.get(s.id)!.budgetRollups.push({ minuteUnix: nowMinute * 60, ...budget });
  }
  await addTimesliceRows(sql, slos, now, result);
  return result;
}

/** Timeslices judge each slice on its own, so their budget needs one row per slice (the core groups rows by slice). */
async function addTimesliceRows(sql: SqlRunner, slos: readonly { id: string; definition: SloDefinition }[], now: Date, result: Map<string, SloRollupSums>): Promise<void> {
  const sliced = slos.flatMap((s) => (s.definition.budgeting.method === "timeslices" ? [{ id: s.id, sliceMinutes: s.definition.budgeting.sliceMinutes, bounds: windowBounds(s.definition.window, now) }] : []));
  if (sliced.length === 0) return;
  const rows = await sql.query<SliceRow>(
    `SELECT s.slo_id::text AS slo_id, min(r.minute) AS minute, sum(r.good)::float8 AS good, sum(r.total)::float8 AS total
     FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[]) AS s(slo_id, slice, from_minute, to_minute)
     JOIN slo_minute_rollups r ON r.slo_id = s.slo_id AND r.minute BETWEEN s.from_minute AND s.to_minute
     GROUP BY s.slo_id, r.minute / s.slice`,
    [sliced.map((s) => s.id), sliced.map((s) => s.sliceMinutes), sliced.map((s) => s.bounds.firstMinute), sliced.map((s) => s.bounds.lastMinute)],
  );
  for (const row of rows) result.get(row.slo_id)?.budgetRollups.push({ minuteUnix: row.minute * 60, good: row.good, total: row.total });
}
