// What the overview's Console card shows: where the console's Faro telemetry goes, its built-in SLOs with their
// status, and the last 24 hours in figures (page views and those with errors, p75 LCP from the LCP histogram).
import type { Config } from "../../config/env";
import type { Database } from "../../db/client";
import { aggregateFromJson } from "../../telemetry/write/metrics";
import { histogramQuantile } from "../../telemetry/core/metrics/histogram-quantile";
import { mergeMinuteAggregates, type MinuteAggregate } from "../../telemetry/core/metrics/minute-aggregate";
import { listSloOverview, type SloOverview } from "../../slo/store/status";
import { CONSOLE_APP_NAME } from "../core/console-app";
import { CONSOLE_ERROR_FREE_SLO, CONSOLE_SLO_NAMES } from "../core/console-slos";
import { webVitalMetricName } from "../core/web-vitals";

export type ConsoleReporting = { kind: "here" } | { kind: "external"; url: string } | { kind: "off" };

export type ConsoleStatus = {
  reporting: ConsoleReporting;
  slos: SloOverview[];
  last24h: { pageViews: number | null; pageViewsWithErrors: number | null; lcpP75Ms: number | null; lcpSamples: number };
};

export function consoleReporting(config: Pick<Config, "TAILGUARD_FARO_URL">): ConsoleReporting {
  const url = config.TAILGUARD_FARO_URL;
  return url === undefined ? { kind: "here" } : url === "off" ? { kind: "off" } : { kind: "external", url };
}

/** p75 over merged histogram aggregates; null without observations (a gap, not a zero). */
export function p75OfAggregates(aggregates: readonly MinuteAggregate[]): { p75: number | null; samples: number } {
  let merged: MinuteAggregate | null = null;
  for (const a of aggregates) {
    if (a.kind !== "histogram") continue;
    merged = merged === null ? a : (mergeMinuteAggregates(merged, a) ?? merged);
  }
  if (merged === null || merged.kind !== "histogram") return { p75: null, samples: 0 };
  return { p75: histogramQuantile(merged.explicitBounds, merged.bucketCounts, 0.75), samples: merged.count };
}

export async function consoleStatus(db: Database, config: Pick<Config, "TAILGUARD_FARO_URL">, nowMs: number): Promise<ConsoleStatus> {
  const fromMinute = Math.floor(nowMs / 60_000) - 24 * 60;
  const slos = (await listSloOverview(db, { service: CONSOLE_APP_NAME }))
    .filter((s) => CONSOLE_SLO_NAMES.includes(s.definition.name))
    .sort((a, b) => CONSOLE_SLO_NAMES.indexOf(a.definition.name) - CONSOLE_SLO_NAMES.indexOf(b.definition.name));
  const errorFree = slos.find((s) => s.definition.name === CONSOLE_ERROR_FREE_SLO);
  const [views] = errorFree
    ? await db.sql.query<{ good: number | null; total: number | null }>(`SELECT sum(good)::float8 AS good, sum(total)::float8 AS total FROM slo_minute_rollups WHERE slo_id = $1 AND minute >= $2`, [errorFree.id, fromMinute])
    : [];
  const lcpRows = await db.sql.query<{ aggregate: unknown }>(`SELECT aggregate FROM metric_minute_aggregates WHERE name = $1 AND service = $2 AND minute >= $3`, [
    webVitalMetricName("lcp"), CONSOLE_APP_NAME, fromMinute,
  ]);
  const lcp = p75OfAggregates(lcpRows.map((r) => aggregateFromJson(r.aggregate)));
  const total = views?.total ?? null;
  return {
    reporting: consoleReporting(config),
    slos,
    last24h: { pageViews: total, pageViewsWithErrors: total === null ? null : total - Math.min(total, views?.good ?? 0), lcpP75Ms: lcp.p75, lcpSamples: lcp.samples },
  };
}
