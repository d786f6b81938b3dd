/** Counts committed SLI events on `tailguard_slo_events_total`, the series the generated Prometheus rules read for span- and job-based SLOs. */
import type { Metrics } from "../../observability/metrics";
import type { SloContribution } from "../core/span-sli";

export type SloMetricIdentity = { name: string; service: string };

/**
 * Adds each contribution's good and bad events to the counter. Both outcomes are touched even when one adds 0,
 * so an SLO's error-ratio rules see a bad series (value 0) from its first event instead of "no data".
 * Contributions of SLOs not in the map (deleted since the batch was matched) are ignored.
 */
export function recordSloEvents(
  metrics: Pick<Metrics, "sloEvents">,
  contributions: readonly SloContribution[],
  sloNamesById: ReadonlyMap<string, SloMetricIdentity>,
): void {
  const sums = new Map<string, { good: number; bad: number }>();
  for (const c of contributions) {
    if (!sloNamesById.has(c.sloId) || !(c.total > 0)) continue;
    const good = Math.min(Math.max(c.good, 0), c.total);
    const sum = sums.get(c.sloId) ?? { good: 0, bad: 0 };
    sum.good += good;
    sum.bad += c.total - good;
    sums.set(c.sloId, sum);
  }
  for (const [sloId, { good, bad }] of sums) {
    const { name, service } = sloNamesById.get(sloId)!;
    metrics.sloEvents.inc({ slo: name, service, outcome: "good" }, good);
    metrics.sloEvents.inc({ slo: name, service, outcome: "bad" }, bad);
  }
}
