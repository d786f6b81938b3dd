/** PromQL for an SLO's events: its own metrics for metricRatio SLIs, `tailguard_slo_events_total` for SLIs Tailguard computes from spans and jobs. */
import type { AttributeMatcher, MetricQuery, SloDefinition } from "./definition";

/** Exposed on Tailguard's /metrics by lib/slo/store/slo-event-metrics.ts. */
export const SLO_EVENTS_METRIC = "tailguard_slo_events_total";
/** Labels that differ between replicas of one scrape target; the rules add their counters up. */
const INSTANCE_LABELS = "instance, pod";

export type SliQueries = {
  /** Error ratio over a range ("5m", "30d"): bad events / all events in the range, from counter increases. */
  errorRatio(range: string): string;
  /** Events per second over the range, all and bad. */
  totalRate(range: string): string;
  errorRate(range: string): string;
};

/** OTLP names may carry dots; Prometheus names and labels may not (the OTLP → Prometheus translation uses "_"). */
export function prometheusName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_:]/g, "_");
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

function matcherText(m: AttributeMatcher): string {
  return `${prometheusName(m.key).replace(/:/g, "_")}${m.op}${JSON.stringify(m.value)}`;
}

function selector(query: MetricQuery): string {
  const matchers = query.matchers.map(matcherText);
  return `${prometheusName(query.metric)}${matchers.length ? `{${matchers.join(",")}}` : ""}`;
}

function metricRatioQueries(good: MetricQuery, total: MetricQuery): SliQueries {
  const sum = (fn: string, query: MetricQuery, range: string) => `sum(${fn}(${selector(query)}[${range}]))`;
  // A range in which every event failed has no good series at all; `or vector(0)` keeps that an error ratio of 1.
  const bad = (fn: string, range: string) => `(${sum(fn, total, range)} - (${sum(fn, good, range)} or vector(0)))`;
  return {
    errorRatio: (range) => `${bad("increase", range)}\n/\n${sum("increase", total, range)}\n`,
    totalRate: (range) => sum("rate", total, range),
    errorRate: (range) => bad("rate", range),
  };
}

function sloEventQueries(definition: SloDefinition): SliQueries {
  const ids = `slo=${JSON.stringify(definition.name)}, service=${JSON.stringify(definition.service)}`;
  const series = (outcome?: string) => `${SLO_EVENTS_METRIC}{${ids}${outcome ? `, outcome="${outcome}"` : ""}}`;
  const sum = (inner: string) => `sum without (${INSTANCE_LABELS}, outcome) (${inner})`;
  // `or 0 * good` keeps a bad count of 0 where a replica has never seen a bad event, so the ratio is 0, not empty.
  const bad = (fn: string, range: string) => sum(`${fn}(${series("bad")}[${range}]) or 0 * ${fn}(${series("good")}[${range}])`);
  const all = (fn: string, range: string) => sum(`${fn}(${series()}[${range}])`);
  return {
    errorRatio: (range) => `${bad("increase", range)}\n/\n${all("increase", range)}\n`,
    totalRate: (range) => all("rate", range),
    errorRate: (range) => bad("rate", range),
  };
}

export function sliQueries(definition: SloDefinition): SliQueries {
  const { sli } = definition;
  return sli.kind === "metricRatio" ? metricRatioQueries(sli.good, sli.total) : sloEventQueries(definition);
}
