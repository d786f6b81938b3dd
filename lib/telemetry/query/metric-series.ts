// One metric's per-minute aggregates over a range, merged across attribute sets (and services unless one is
// named), with the figures each kind supports; minutes without data are absent, never zero-filled.
import type { SqlRunner } from "../../db/sql-runner";
import { aggregateFromJson } from "../write/metrics";
import { exponentialToExplicit } from "../core/metrics/exponential-histogram";
import { histogramQuantile } from "../core/metrics/histogram-quantile";
import { mergeMinuteAggregates, type MinuteAggregate } from "../core/metrics/minute-aggregate";
import { minuteToIso, type MinuteRange } from "../core/views/time-range";

export type MetricPoint = {
  at: string; kind: string; count: number | null; sum: number | null; min: number | null; max: number | null; avg: number | null;
  last: number | null; deltaTotal: number | null; ratePerS: number | null; p50: number | null; p95: number | null; p99: number | null; seriesCount: number;
};

function quantiles(a: MinuteAggregate): [number | null, number | null, number | null] {
  const h = a.kind === "histogram" ? a : a.kind === "exponential_histogram" ? exponentialToExplicit(a) : null;
  if (h === null) return [null, null, null];
  return [0.5, 0.95, 0.99].map((q) => histogramQuantile(h.explicitBounds, h.bucketCounts, q)) as [number | null, number | null, number | null];
}

export function aggregateToPoint(minute: number, a: MinuteAggregate, seriesCount: number): MetricPoint {
  const [p50, p95, p99] = quantiles(a);
  const base = { at: minuteToIso(minute), kind: a.kind, seriesCount, p50, p95, p99, count: null, sum: null, min: null, max: null, avg: null, last: null, deltaTotal: null, ratePerS: null };
  if (a.kind === "gauge") return { ...base, count: a.count, sum: a.sum, min: a.min, max: a.max, avg: a.avg, last: a.last };
  if (a.kind === "sum") return { ...base, deltaTotal: a.deltaTotal, ratePerS: a.deltaTotal / 60 };
  return { ...base, count: a.count, sum: a.sum, min: a.min, max: a.max, avg: a.sum === null || a.count === 0 ? null : a.sum / a.count };
}

export async function metricSeries(sql: SqlRunner, opts: MinuteRange & { name: string; service?: string }): Promise<{ unit: string; points: MetricPoint[] }> {
  const params: unknown[] = [opts.name, opts.fromMinute, opts.toMinute];
  const serviceFilter = opts.service === undefined ? "" : `AND service = $${params.push(opts.service)}`;
  const rows = await sql.query<{ minute: number; unit: string; aggregate: unknown }>(
    `SELECT minute, unit, aggregate FROM metric_minute_aggregates WHERE name = $1 AND minute >= $2 AND minute < $3 ${serviceFilter} ORDER BY minute, service, attributes_hash`,
    params,
  );
  const byMinute = new Map<number, { merged: MinuteAggregate; series: number }>();
  for (const row of rows) {
    const a = aggregateFromJson(row.aggregate);
    const prev = byMinute.get(row.minute);
    // Series whose kind or bounds do not merge with the minute's first one are left out of that minute.
    const merged = prev === undefined ? a : mergeMinuteAggregates(prev.merged, a);
    if (merged !== null) byMinute.set(row.minute, { merged, series: (prev?.series ?? 0) + 1 });
  }
  return { unit: rows[0]?.unit ?? "", points: [...byMinute.entries()].map(([minute, m]) => aggregateToPoint(minute, m.merged, m.series)) };
}
