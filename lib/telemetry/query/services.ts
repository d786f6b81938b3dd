// The services view: every service that sent spans, with RED over a range from the rollups, and one service's
// per-minute series. RED counts entry spans (SERVER, CONSUMER); a service without any counts all its spans.
import type { SqlRunner } from "../../db/sql-runner";
import { addTotals, emptyTotals, redOf, type RollupTotals } from "../core/views/red";
import { sumRollups, type RollupSum } from "./rollup-sums";
import { minuteToIso, type MinuteRange } from "../core/views/time-range";
import type { ServicePointView, ServiceSummaryView } from "../core/views/view-schemas";

export type RedBasis = ServiceSummary["basis"];
export type ServiceSummary = ServiceSummaryView;
export type ServicePoint = ServicePointView;

const MAX_POINTS = 1440;

/** Every service ever seen (within rollup retention), by a loose index scan, with the end of its last span. */
async function knownServices(sql: SqlRunner): Promise<Array<{ service: string; lastEndNs: string | null }>> {
  return sql.query(
    `WITH RECURSIVE s(service) AS (
       SELECT min(service) FROM span_minute_rollups
       UNION ALL SELECT (SELECT min(r.service) FROM span_minute_rollups r WHERE r.service > s.service) FROM s WHERE s.service IS NOT NULL)
     SELECT s.service, (SELECT max(r.last_end_ns)::text FROM span_minute_rollups r WHERE r.service = s.service
        AND r.minute = (SELECT max(m.minute) FROM span_minute_rollups m WHERE m.service = s.service)) AS "lastEndNs"
     FROM s WHERE s.service IS NOT NULL ORDER BY s.service`,
  );
}

function basisOf(sums: readonly RollupSum[]): RedBasis {
  return sums.some((s) => s.entry && s.totals.count > 0) ? "entry" : "all";
}

function totalsOf(sums: readonly RollupSum[], basis: RedBasis): RollupTotals {
  const t = emptyTotals();
  for (const s of sums) if (basis === "all" || s.entry) addTotals(t, s.totals);
  return t;
}

const nsToIso = (ns: string | null) => (ns === null ? null : new Date(Number(BigInt(ns) / 1_000_000n)).toISOString());

export async function listServices(sql: SqlRunner, range: MinuteRange): Promise<ServiceSummary[]> {
  const [services, sums] = await Promise.all([knownServices(sql), sumRollups(sql, { ...range, byMinute: false })]);
  const seconds = (range.toMinute - range.fromMinute) * 60;
  return services.map(({ service, lastEndNs }) => {
    const mine = sums.filter((s) => s.service === service);
    const basis = basisOf(mine);
    return { name: service, basis, spanCount: totalsOf(mine, "all").count, lastSeen: nsToIso(lastEndNs), ...redOf(totalsOf(mine, basis), seconds) };
  });
}

/** One service's RED per step (one minute, or more so a long range stays under 1,440 points); gaps are null. */
export async function serviceSeries(sql: SqlRunner, service: string, range: MinuteRange): Promise<{ basis: RedBasis; stepMinutes: number; points: ServicePoint[] }> {
  const sums = await sumRollups(sql, { ...range, service, byMinute: true });
  const basis = basisOf(sums);
  const stepMinutes = Math.max(1, Math.ceil((range.toMinute - range.fromMinute) / MAX_POINTS));
  const steps = new Map<number, RollupSum[]>();
  for (const s of sums) {
    const step = range.fromMinute + Math.floor(((s.minute as number) - range.fromMinute) / stepMinutes) * stepMinutes;
    steps.set(step, [...(steps.get(step) ?? []), s]);
  }
  const points: ServicePoint[] = [];
  for (let m = range.fromMinute; m < range.toMinute; m += stepMinutes) {
    const inStep = steps.get(m);
    if (inStep === undefined) {
      points.push({ at: minuteToIso(m), requestRatePerS: null, errorRatio: null, p50Ms: null, p95Ms: null, p99Ms: null });
      continue;
    }
    points.push({ at: minuteToIso(m), ...redOf(totalsOf(inStep, basis), stepMinutes * 60) });
  }
  return { basis, stepMinutes, points };
}

export async function serviceSummary(sql: SqlRunner, service: string, range: MinuteRange): Promise<ServiceSummary | null> {
  return (await listServices(sql, range)).find((s) => s.name === service) ?? null;
}
