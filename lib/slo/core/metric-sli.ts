/** Per-minute good/total contributions of ingested OTLP metrics to metric-ratio SLOs. */
import type { MinuteAggregate } from "../../telemetry/core/metrics/minute-aggregate";
import type { AttributeMatcher } from "./definition";
import { ContributionSums, matchesAttribute, type SloContribution, type SloRef } from "./span-sli";

/** Events a minute aggregate counts: a counter's increase, or a histogram's observation count. Gauges count nothing. */
function eventsOf(a: MinuteAggregate): number {
  if (a.kind === "sum") return a.deltaTotal;
  if (a.kind === "histogram" || a.kind === "exponential_histogram") return a.count;
  return 0;
}

// Matchers see the point's attributes plus `service.name`, so a selector can name the emitting service.
function matches(a: MinuteAggregate, metric: string, matchers: readonly AttributeMatcher[]): boolean {
  if (a.metricName !== metric) return false;
  const attributes = { ...a.attributes, "service.name": a.serviceName };
  return matchers.every((m) => matchesAttribute(m, attributes));
}

/**
 * Contributions of a batch's delta aggregates (cumulative counters already turned into deltas):
 * good and total are summed separately per minute; the rollup caps good at total when it is read.
 */
export function metricRatioContributions(slos: readonly SloRef[], aggregates: readonly MinuteAggregate[]): SloContribution[] {
  const sums = new ContributionSums();
  for (const { id, definition } of slos) {
    const sli = definition.sli;
    if (sli.kind !== "metricRatio") continue;
    for (const a of aggregates) {
      const good = matches(a, sli.good.metric, sli.good.matchers) ? eventsOf(a) : 0;
      const total = matches(a, sli.total.metric, sli.total.matchers) ? eventsOf(a) : 0;
      if (good === 0 && total === 0) continue;
      sums.add(id, Math.floor(a.minuteStartUnixMs / 60_000), good, total);
    }
  }
  return sums.values();
}
