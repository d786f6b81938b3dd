// Bulk SQL for metric points and per-minute metric aggregates. Points are stored as received; aggregates are
// merged with lib/telemetry/core/metrics/minute-aggregate.ts in a locked read-merge-write, so SQL and tests share one merge rule.
import { createHash } from "node:crypto";
import type { MetricPointRow } from "../core/otlp/metric-rows";
import { cumulativeSeriesKey } from "../core/metrics/metric-points-to-delta";
import { mergeMinuteAggregates, type MinuteAggregate } from "../core/metrics/minute-aggregate";
import { pgJson, pgText } from "../../db/pg-values";
import type { SqlRunner } from "../../db/sql-runner";

export function seriesHash(row: MetricPointRow): string {
  return createHash("sha256").update(cumulativeSeriesKey(row)).digest("hex").slice(0, 32);
}

function pointData(row: MetricPointRow): { value: number | null; data: string | null } {
  if (row.kind === "gauge") return { value: row.value, data: null };
  if (row.kind === "sum") return { value: row.value, data: pgJson({ isMonotonic: row.isMonotonic }) };
  const { name: _n, unit: _u, description: _d, serviceName: _s, scopeName: _sc, resourceAttributes: _r, attributes: _a, startTimeUnixNano: _st, timeUnixNano: _t, kind: _k, ...rest } = row;
  return { value: null, data: pgJson(rest) };
}

const INSERT_POINTS = `INSERT INTO metric_points (series_hash, name, service, kind, temporality, unit, scope_name, start_ns, time_ns, value, data, attributes, resource)
SELECT u.series_hash, u.name, u.service, u.kind, u.temporality, u.unit, u.scope_name, u.start_ns, u.time_ns, u.value, u.data::jsonb, u.attributes::jsonb, u.resource::jsonb
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int8[], $9::int8[], $10::float8[], $11::text[], $12::text[], $13::text[])
  AS u(series_hash, name, service, kind, temporality, unit, scope_name, start_ns, time_ns, value, data, attributes, resource)
ON CONFLICT DO NOTHING RETURNING series_hash, time_ns::text AS time_ns`;

/** Inserts points (free of in-batch duplicates); returns the indexes into `rows` of the points that were new. */
export async function insertMetricPoints(tx: SqlRunner, rows: readonly MetricPointRow[], hashes: readonly string[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const data = rows.map(pointData);
  const stored = await tx.query<{ series_hash: string; time_ns: string }>(INSERT_POINTS, [
    hashes, rows.map((r) => pgText(r.name)), rows.map((r) => pgText(r.serviceName)), rows.map((r) => r.kind),
    rows.map((r) => ("temporality" in r ? r.temporality : null)), rows.map((r) => pgText(r.unit)), rows.map((r) => pgText(r.scopeName)),
    rows.map((r) => (r.startTimeUnixNano === null ? null : String(r.startTimeUnixNano))), rows.map((r) => String(r.timeUnixNano)),
    data.map((d) => d.value), data.map((d) => d.data), rows.map((r) => pgJson(r.attributes)), rows.map((r) => pgJson(r.resourceAttributes)),
  ]);
  const isNew = new Set(stored.map((s) => `${s.series_hash}:${s.time_ns}`));
  return rows.flatMap((r, i) => (isNew.has(`${hashes[i]}:${r.timeUnixNano}`) ? [i] : []));
}

export function aggregateToJson(a: MinuteAggregate): string {
  return pgJson(a);
}

export function aggregateFromJson(value: unknown): MinuteAggregate {
  const a = value as MinuteAggregate & { lastTimeUnixNano?: string };
  return a.kind === "gauge" ? { ...a, lastTimeUnixNano: BigInt(a.lastTimeUnixNano as unknown as string) } : a;
}

const keyOf = (a: { minute: number; name: string; service: string; hash: string }) => `${a.name}\u0000${a.service}\u0000${a.minute}\u0000${a.hash}`;

type Keyed = { minute: number; name: string; service: string; hash: string; aggregate: MinuteAggregate };

function keyed(a: MinuteAggregate): Keyed {
  return { minute: a.minuteStartUnixMs / 60_000, name: pgText(a.metricName), service: pgText(a.serviceName), hash: a.attributesHash, aggregate: a };
}

/**
 * Merges aggregates into the stored minutes: lock the existing rows, merge in JS, update them, and insert the
 * rest; a row another writer inserted meanwhile makes the insert skip it, and the loop merges it next round.
 * Aggregates that cannot merge (histogram bounds changed within a minute) keep the stored value; returns their count.
 */
export async function mergeMetricAggregates(tx: SqlRunner, aggregates: readonly MinuteAggregate[]): Promise<number> {
  let pending = aggregates.map(keyed).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  let unmerged = 0;
  for (let round = 0; pending.length > 0 && round < 5; round++) {
    const existing = await tx.query<{ minute: number; name: string; service: string; attributes_hash: string; aggregate: unknown }>(
      `SELECT minute, name, service, attributes_hash, aggregate FROM metric_minute_aggregates
       WHERE (name, service, minute, attributes_hash) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[]))
       ORDER BY name, service, minute, attributes_hash FOR UPDATE`,
      [pending.map((p) => p.name), pending.map((p) => p.service), pending.map((p) => p.minute), pending.map((p) => p.hash)],
    );
    const stored = new Map(existing.map((e) => [keyOf({ ...e, hash: e.attributes_hash }), aggregateFromJson(e.aggregate)]));
    const updates: Keyed[] = [];
    const inserts: Keyed[] = [];
    for (const p of pending) {
      const prev = stored.get(keyOf(p));
      if (prev === undefined) inserts.push(p);
      else {
        const merged = mergeMinuteAggregates(prev, p.aggregate);
        if (merged === null) unmerged++;
        else updates.push({ ...p, aggregate: merged });
      }
    }
    if (updates.length > 0) {
      await tx.query(
        `UPDATE metric_minute_aggregates m SET aggregate = u.aggregate::jsonb FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::text[]) AS u(name, service, minute, hash, aggregate)
         WHERE m.name = u.name AND m.service = u.service AND m.minute = u.minute AND m.attributes_hash = u.hash`,
        [updates.map((p) => p.name), updates.map((p) => p.service), updates.map((p) => p.minute), updates.map((p) => p.hash), updates.map((p) => aggregateToJson(p.aggregate))],
      );
    }
    if (inserts.length === 0) break;
    const inserted = await tx.query<{ name: string; service: string; minute: number; attributes_hash: string }>(
      `INSERT INTO metric_minute_aggregates (name, service, minute, attributes_hash, kind, unit, attributes, aggregate)
       SELECT u.name, u.service, u.minute, u.hash, u.kind, u.unit, u.attributes::jsonb, u.aggregate::jsonb
       FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(name, service, minute, hash, kind, unit, attributes, aggregate)
       ON CONFLICT DO NOTHING RETURNING name, service, minute, attributes_hash`,
      [inserts.map((p) => p.name), inserts.map((p) => p.service), inserts.map((p) => p.minute), inserts.map((p) => p.hash), inserts.map((p) => p.aggregate.kind),
        inserts.map((p) => pgText(p.aggregate.unit)), inserts.map((p) => pgJson(p.aggregate.attributes)), inserts.map((p) => aggregateToJson(p.aggregate))],
    );
    const done = new Set(inserted.map((e) => keyOf({ ...e, hash: e.attributes_hash })));
    pending = inserts.filter((p) => !done.has(keyOf(p)));
  }
  return unmerged;
}
