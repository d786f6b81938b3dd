// The read operations the API and the console share: each takes the raw query, resolves the time range against
// `nowMs`, and returns the response shape of lib/api/telemetry-contract.ts.
import type { SqlRunner } from "../db/sql-runner";
import { DomainError } from "../errors";
import { metricSeries, type MetricPoint } from "./metric-series";
import { listServices, serviceSeries, type RedBasis, type ServicePoint, type ServiceSummary } from "./services";
import { minuteRange, minuteToIso, type MinuteRange } from "./time-range";

export type RangeQuery = { from?: string; to?: string };
export type RangeView = { from: string; to: string };

function rangeView(r: MinuteRange): RangeView {
  return { from: minuteToIso(r.fromMinute), to: minuteToIso(r.toMinute) };
}

export async function servicesOverview(sql: SqlRunner, query: RangeQuery, nowMs: number): Promise<{ range: RangeView; services: ServiceSummary[] }> {
  const range = minuteRange(query, nowMs);
  return { range: rangeView(range), services: await listServices(sql, range) };
}

export type ServiceDetail = { range: RangeView; service: ServiceSummary; basis: RedBasis; stepMinutes: number; series: ServicePoint[] };

export async function serviceDetail(sql: SqlRunner, name: string, query: RangeQuery, nowMs: number): Promise<ServiceDetail> {
  const range = minuteRange(query, nowMs);
  const service = (await listServices(sql, range)).find((s) => s.name === name);
  if (service === undefined) throw new DomainError("not_found", `no spans have been stored for service ${name}`);
  const { basis, stepMinutes, points } = await serviceSeries(sql, name, range);
  return { range: rangeView(range), service, basis, stepMinutes, series: points };
}

export async function metricOverview(
  sql: SqlRunner,
  query: RangeQuery & { name: string; service?: string },
  nowMs: number,
): Promise<{ name: string; service: string | null; unit: string; range: RangeView; points: MetricPoint[] }> {
  const range = minuteRange(query, nowMs);
  const { unit, points } = await metricSeries(sql, { ...range, name: query.name, service: query.service });
  return { name: query.name, service: query.service ?? null, unit, range: rangeView(range), points };
}
