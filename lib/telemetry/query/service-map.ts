// The service map read: flow rollups and service RED over a range, open signals and SLO states laid on them, the
// neighbourhood of one service when asked, and the layout. The API route and the /map page both call serviceMap.
import type { Database } from "../../db/client";
import type { SqlRunner } from "../../db/sql-runner";
import { listSignals } from "../../signals/store/signals";
import { sloState } from "../../slo/core/slo-state";
import { listSloOverview } from "../../slo/store/status";
import { layoutServiceMap } from "../core/views/service-map-layout";
import { buildServiceMap, type FlowTotals, type MapLayout, neighbourhood, type ServiceMap } from "../core/views/service-map";
import { minuteRange, minuteToIso, type MinuteRange } from "../core/views/time-range";
import type { ServiceMapView } from "../core/views/view-schemas";
import { listServices } from "./services";
import type { RangeQuery } from "./views";

export type ServiceMapQuery = RangeQuery & { service?: string };

/** Flow rollups summed per (flow, service, target) over whole minutes of the range. */
export async function flowTotals(sql: SqlRunner, range: MinuteRange): Promise<FlowTotals[]> {
  const rows = await sql.query<{ flow: FlowTotals["flow"]; service: string; target: string; count: number; errors: number; retries: number; duration_sum_ns: number; misses: number }>(
    `SELECT flow, service, target, sum(count)::float8 AS count, sum(error_count)::float8 AS errors, sum(retry_count)::float8 AS retries,
            sum(duration_sum_ns)::float8 AS duration_sum_ns, sum(miss_count)::float8 AS misses
     FROM flow_rollups WHERE bucket >= $1 AND bucket < $2 GROUP BY flow, service, target ORDER BY flow, service, target`,
    [range.fromMinute * 60, range.toMinute * 60],
  );
  return rows.map((r) => ({
    flow: r.flow, service: r.service, target: r.target, count: Number(r.count), errorCount: Number(r.errors), retryCount: Number(r.retries),
    durationSumNs: Number(r.duration_sum_ns), missCount: Number(r.misses),
  }));
}

/** Layouts by map shape (node IDs and kinds, edges): figures change every refresh, the shape rarely, and ELK takes
 * ~0.7 s of the event loop at 50 nodes. Bounded, oldest shape dropped first. */
const layouts = new Map<string, Promise<MapLayout>>();
const MAX_CACHED_LAYOUTS = 64;

function cachedLayout(map: ServiceMap): Promise<MapLayout> {
  const key = JSON.stringify([map.nodes.map((n) => [n.id, n.kind]), map.edges.map((e) => [e.id, e.from, e.to])]);
  const hit = layouts.get(key);
  if (hit) return hit;
  const laid = layoutServiceMap(map);
  layouts.set(key, laid);
  laid.catch(() => layouts.delete(key));
  if (layouts.size > MAX_CACHED_LAYOUTS) layouts.delete(layouts.keys().next().value!);
  return laid;
}

export async function serviceMap(db: Database, query: ServiceMapQuery, nowMs: number): Promise<ServiceMapView> {
  const range = minuteRange(query, nowMs);
  const [flows, services, signals, slos] = await Promise.all([
    flowTotals(db.sql, range),
    listServices(db.sql, range),
    listSignals(db, { status: "open", limit: 500 }),
    listSloOverview(db),
  ]);
  const whole = buildServiceMap({
    flows, services, seconds: (range.toMinute - range.fromMinute) * 60,
    signals: signals.map((s) => ({ id: s.id, kind: s.kind, severity: s.severity, summary: s.summary, resource: s.resource, services: s.services })),
    slos: slos.map((s) => ({ name: s.definition.name, service: s.definition.service, state: sloState(s) })),
  });
  const map = query.service === undefined ? whole : neighbourhood(whole, query.service);
  return {
    range: { from: minuteToIso(range.fromMinute), to: minuteToIso(range.toMinute) },
    service: query.service ?? null,
    services: whole.nodes.filter((n) => n.kind === "service").map((n) => n.name),
    nodes: map.nodes,
    edges: map.edges,
    layout: await cachedLayout(map),
  };
}
