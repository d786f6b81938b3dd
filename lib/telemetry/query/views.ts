// The read operations the API and the console share: each takes the raw query, resolves the time range against
// `nowMs`, and returns the response shape of the API contract (the zod views in view-schemas.ts).
import type { z } from "zod";
import type { SqlRunner } from "../../db/sql-runner";
import { DomainError } from "../../errors";
import { metricSeries } from "./metric-series";
import { listServices, serviceSeries } from "./services";
import { minuteRange, minuteToIso, type MinuteRange } from "../core/views/time-range";
import type { MetricOverviewView, RangeView, ServiceDetailView, ServicesOverviewView } from "../core/views/view-schemas";

export type RangeQuery = { from?: string; to?: string };
export type { RangeView };
export type ServiceDetail = z.infer<typeof ServiceDetailView>;

function rangeView(r: MinuteRange): RangeView {
  return { from: minuteToIso(r.fromMinute), to: minuteToIso(r.toMinute) };
}

export async function servicesOverview(sql: SqlRunner, query: RangeQuery, nowMs: number): Promise<z.infer<typeof ServicesOverviewView>> {
  const range = minuteRange(query, nowMs);
  return { range: rangeView(range), services: await listServices(sql, range) };
}

export async function serviceDetail(sql: SqlRunner, name: string, query: RangeQuery, nowMs: number): Promise<ServiceDetail> {
  const range = minuteRange(query, nowMs);
  const service = (await listServices(sql, range)).find((s) => s.name === name);
  if (service === undefined) throw new DomainError("not_found", `no spans have been stored for service ${name}`);
  const { basis, stepMinutes, points } = await serviceSeries(sql, name, range);
  return { range: rangeView(range), service, basis, stepMinutes, series: points };
}

export async function metricOverview(sql: SqlRunner, query: RangeQuery & { name: string; service?: string }, nowMs: number): Promise<z.infer<typeof MetricOverviewView>> {
  const range = minuteRange(query, nowMs);
  const { unit, points } = await metricSeries(sql, { ...range, name: query.name, service: query.service });
  return { name: query.name, service: query.service ?? null, unit, range: rangeView(range), points };
}
