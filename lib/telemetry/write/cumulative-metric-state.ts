// This process's memory of each cumulative metric series' last point, for metricPointsToDelta.
//
// Limits: the state lives in one process. After a restart the first point of every cumulative series yields no
// delta (one interval is missing from the aggregates). With several ingest replicas, one series must always reach
// the same replica (a Collector's loadbalancing exporter by service, or SDKs set to delta temporality), or
// replicas would each subtract their own last point and over-count. Series silent for an hour are forgotten, and
// at most `maxSeries` are kept (the oldest go first), so memory stays bounded.
import type { CumulativeSeriesState } from "../core/metrics/cumulative-to-delta";
import type { MetricPointRow } from "../core/otlp/metric-rows";
import { metricPointsToDelta } from "../core/metrics/metric-points-to-delta";
import { aggregateMinutes, type MinuteAggregate } from "../core/metrics/minute-aggregate";

const FORGET_AFTER_NS = 3_600_000_000_000n;

export class CumulativeMetricState {
  private state = new Map<string, CumulativeSeriesState>();

  constructor(readonly maxSeries = 200_000) {}

  get size(): number {
    return this.state.size;
  }

  /** Deltas and per-minute aggregates of newly stored points; `commit` adopts the new state after COMMIT. */
  toDeltas(points: readonly MetricPointRow[]): { aggregates: MinuteAggregate[]; withheldPoints: number; commit: () => void } {
    const sorted = [...points].sort((a, b) => (a.timeUnixNano < b.timeUnixNano ? -1 : a.timeUnixNano > b.timeUnixNano ? 1 : 0));
    const result = metricPointsToDelta(this.state, sorted);
    const { aggregates } = aggregateMinutes(result.points);
    return { aggregates, withheldPoints: result.withheldPoints, commit: () => (this.state = prune(result.state, this.maxSeries)) };
  }
}

function prune(state: Map<string, CumulativeSeriesState>, maxSeries: number): Map<string, CumulativeSeriesState> {
  let newest = 0n;
  for (const s of state.values()) if (s.timeUnixNano > newest) newest = s.timeUnixNano;
  const cutoff = newest - FORGET_AFTER_NS;
  let stale = false;
  for (const s of state.values()) if (s.timeUnixNano < cutoff) stale = true;
  if (!stale && state.size <= maxSeries) return state;
  const kept = [...state.entries()].filter(([, s]) => s.timeUnixNano >= cutoff);
  kept.sort(([, a], [, b]) => (a.timeUnixNano > b.timeUnixNano ? -1 : a.timeUnixNano < b.timeUnixNano ? 1 : 0));
  return new Map(kept.slice(0, maxSeries));
}
