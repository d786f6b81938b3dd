// The sliding windows of one detection pass, with the snapshot's flow rollups and metric minutes summed into them.
//
// Windows slide: the engine evaluates every few seconds, and window k is the 60 s ending k minutes before
// the evaluation end (not a calendar minute), so a fault shows in the newest window within seconds of
// reaching the data instead of after the next minute boundary.
import { FLOW_BUCKET_SECONDS, type FlowKind, type FlowRollup } from "../../telemetry/core/rollups/flow-rollup";
import { lazily, positionsBy, rowsAt } from "./row-lookup";
import type { MetricMinute } from "./system-snapshot";
import type { Chart, NamedSeries } from "./types";
import type { WindowValues } from "./window-values";

/** Minutes of history a pass needs: the retry-storm baseline plus its window, and one spare. */
export const HISTORY_MINUTES = 36;

/** Evaluation end in Unix seconds: `lagSeconds` before now, on a flow-bucket boundary. */
export function evaluationEnd(now: Date, lagSeconds: number): number {
  return Math.floor((now.getTime() / 1000 - lagSeconds) / FLOW_BUCKET_SECONDS) * FLOW_BUCKET_SECONDS;
}

/** The flows one (flow, service, target) key sums. */
export interface FlowKey {
  flow: FlowKind;
  service: string;
  target: string;
}
export type FlowField = "count" | "errors" | "retries" | "durationNs" | "retryGaps" | "retryGapLogMs";

export interface WindowIndex {
  /** Evaluation end, Unix seconds on a flow-bucket boundary. */
  endUnix: number;
  /**
   * The `now` to hand the detectors, which judge the whole calendar minutes before their `now`: a
   * virtual calendar whose newest whole minute is window 0.
   */
  detectorNow: Date;
  flows: readonly FlowRollup[];
  metrics: readonly MetricMinute[];
  /** The window holding second `unixS`: 0 = newest, negative after the end, HISTORY_MINUTES or more before the history. */
  windowOf(unixS: number): number;
  /** The keys with flows inside the history, in the order first seen. */
  flowKeys: readonly FlowKey[];
  /** One field summed per window over the keys that match; windows older than the oldest flow are gaps. */
  flowSums(match: (key: FlowKey) => boolean, field: FlowField): WindowValues;
  /** One figure summed over the flows that match in the buckets [fromUnix, toUnix). */
  bucketSum(fromUnix: number, toUnix: number, match: (f: FlowRollup) => boolean, pick: (f: FlowRollup) => number): number;
  /** The flows of one service, in snapshot order. */
  flowsOfService(service: string): FlowRollup[];
  /** The oldest bucket of any flow, in or before the history; Infinity without flows. */
  firstFlowBucket(): number;
  /** Per-minute items folded per window: window k takes the calendar minute holding its last second; no item, a gap. */
  minuteValues<T extends { minuteUnix: number }>(items: readonly T[], pick: (items: T[]) => number | null): WindowValues;
  /** `minuteValues` over the snapshot's metric minutes that match. */
  metricValues(match: (m: MetricMinute) => boolean, pick: (ms: MetricMinute[]) => number | null): WindowValues;
  /** The metric minutes with one of these names (and, when given, of one of these services), in snapshot order. */
  metricMinutes(names: readonly string[], services?: readonly string[]): MetricMinute[];
  /** Windows as a detector's minute series (oldest first, labelled on the virtual calendar of `detectorNow`). */
  toSeries(name: string, values: WindowValues): NamedSeries;
  /** A series from `toSeries` as a chart, each point at its window's real end. */
  toChart(series: NamedSeries): Chart;
}

export function indexWindows(options: { endUnix: number; flows: readonly FlowRollup[]; metrics: readonly MetricMinute[] }): WindowIndex {
  const { endUnix, flows, metrics } = options;
  const windowOf = (unixS: number) => Math.floor((endUnix - 1 - unixS) / 60);
  const inHistory = (k: number) => k >= 0 && k < HISTORY_MINUTES;
  const newestMinuteUnix = Math.floor(endUnix / 60) * 60 - 60;
  const realEndOf = (k: number) => new Date((endUnix - 60 * k) * 1000).toISOString();
  const zeros = () => new Array<number>(HISTORY_MINUTES).fill(0);

  const byKey = new Map<string, { key: FlowKey; sums: Record<FlowField, number[]> }>();
  // Windows before the first bucket ever seen are gaps, not zeros: a fresh system has no history.
  let oldestWindow = -1;
  for (const f of flows) {
    const k = windowOf(f.bucket);
    if (k < 0) continue;
    oldestWindow = Math.max(oldestWindow, Math.min(HISTORY_MINUTES - 1, k));
    if (!inHistory(k)) continue;
    const id = `${f.flow}\u0000${f.service}\u0000${f.target}`;
    let entry = byKey.get(id);
    if (!entry) {
      entry = { key: { flow: f.flow, service: f.service, target: f.target }, sums: { count: zeros(), errors: zeros(), retries: zeros(), durationNs: zeros(), retryGaps: zeros(), retryGapLogMs: zeros() } };
      byKey.set(id, entry);
    }
    const { sums } = entry;
    sums.count[k] = (sums.count[k] ?? 0) + f.count;
    sums.errors[k] = (sums.errors[k] ?? 0) + f.errorCount;
    sums.retries[k] = (sums.retries[k] ?? 0) + f.retryCount;
    sums.durationNs[k] = (sums.durationNs[k] ?? 0) + f.durationSumNs;
    sums.retryGaps[k] = (sums.retryGaps[k] ?? 0) + (f.retryGapCount ?? 0);
    sums.retryGapLogMs[k] = (sums.retryGapLogMs[k] ?? 0) + (f.retryGapLogMsSum ?? 0);
  }

  const minuteValues = <T extends { minuteUnix: number }>(items: readonly T[], pick: (items: T[]) => number | null): WindowValues => {
    const byWindow = new Map<number, T[]>();
    for (const item of items) {
      const k = windowOf(item.minuteUnix);
      if (!inHistory(k)) continue;
      const list = byWindow.get(k) ?? [];
      list.push(item);
      byWindow.set(k, list);
    }
    const out: WindowValues = new Array<number | null>(HISTORY_MINUTES).fill(null);
    for (const [k, list] of byWindow) out[k] = pick(list);
    return out;
  };

  const rowLookups = snapshotLookups(flows, metrics);
  return {
    endUnix,
    detectorNow: new Date((newestMinuteUnix + 60) * 1000),
    flows,
    metrics,
    windowOf,
    flowKeys: [...byKey.values()].map((e) => e.key),
    flowSums(match, field) {
      let out = zeros();
      for (const { key, sums } of byKey.values()) if (match(key)) out = out.map((v, k) => v + (sums[field][k] ?? 0));
      return out.map((v, k) => (k <= oldestWindow ? v : null));
    },
    ...rowLookups,
    minuteValues,
    metricValues: (match, pick) => minuteValues(metrics.filter(match), pick),
    toSeries: (name, values) => ({ name, points: values.map((value, k) => ({ minuteUnix: newestMinuteUnix - 60 * k, value })).reverse() }),
    toChart: (series) => ({
      name: series.name,
      points: series.points.map((p, i) => ({ at: realEndOf(series.points.length - 1 - i), value: p.value })),
    }),
  };
}

/** The row lookups of a WindowIndex, each built on first use from one pass over the rows. */
function snapshotLookups(
  flows: readonly FlowRollup[],
  metrics: readonly MetricMinute[],
): Pick<WindowIndex, "bucketSum" | "flowsOfService" | "firstFlowBucket" | "metricMinutes"> {
  const byBucket = lazily(() => positionsBy(flows, (f) => f.bucket));
  const bucketsAscending = lazily(() => [...byBucket().keys()].sort((a, b) => a - b));
  const byService = lazily(() => positionsBy(flows, (f) => f.service));
  const firstBucket = lazily(() => flows.reduce((m, f) => Math.min(m, f.bucket), Infinity));
  const metricsByName = lazily(() => metricPositionsByNameAndService(metrics));
  return {
    bucketSum(fromUnix, toUnix, match, pick) {
      // Only the rows of buckets in range, in snapshot order: the same additions as a scan of every row.
      const inRange = bucketsAscending().filter((b) => b >= fromUnix && b < toUnix).map((b) => byBucket().get(b) ?? []);
      let n = 0;
      for (const f of rowsAt(flows, inRange)) if (match(f)) n += pick(f);
      return n;
    },
    flowsOfService: (service) => rowsAt(flows, [byService().get(service) ?? []]),
    firstFlowBucket: firstBucket,
    metricMinutes(names, services) {
      const groups = [...new Set(names)].flatMap((name) => {
        const perService = metricsByName().get(name);
        if (perService === undefined) return [];
        return services === undefined ? [...perService.values()] : [...new Set(services)].map((s) => perService.get(s) ?? []);
      });
      return rowsAt(metrics, groups);
    },
  };
}

/** Each metric name's row positions per service, ascending. */
function metricPositionsByNameAndService(metrics: readonly MetricMinute[]): Map<string, Map<string, number[]>> {
  const out = new Map<string, Map<string, number[]>>();
  metrics.forEach((m, i) => {
    const perService = out.get(m.name) ?? new Map<string, number[]>();
    out.set(m.name, perService);
    const list = perService.get(m.service);
    if (list) list.push(i);
    else perService.set(m.service, [i]);
  });
  return out;
}
