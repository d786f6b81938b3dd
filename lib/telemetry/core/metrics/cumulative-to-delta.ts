// Converts one cumulative series' next point into a delta against the series' last point, detecting resets.
//
// Rules: the first point of a series yields no delta (its start is unknown to us); a point not newer than the
// last one is stale and changes nothing; a changed start time, or any decrease in a monotonic value (a counter,
// a histogram's count or any bucket), is a reset, and the new cumulative value is itself the delta.
import { combineExponential, type ExponentialShape } from "./exponential-histogram";

export type CumulativeValue =
  | { kind: "number"; value: number; isMonotonic: boolean }
  | { kind: "histogram"; count: number; sum: number | null; explicitBounds: number[]; bucketCounts: number[] }
  | ({ kind: "exponential_histogram"; count: number; sum: number | null } & ExponentialShape);

export interface CumulativeSeriesState {
  startTimeUnixNano: bigint | null;
  timeUnixNano: bigint;
  value: CumulativeValue;
}

export type CumulativeState = ReadonlyMap<string, CumulativeSeriesState>;

export type DeltaStep =
  | { outcome: "first" | "stale"; delta: null; next: CumulativeSeriesState }
  | { outcome: "increase" | "reset"; delta: CumulativeValue; deltaStartUnixNano: bigint | null; next: CumulativeSeriesState };

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((bound, i) => bound === b[i]);
}

/** prev − point when that is a valid increase, or null when the pair shows a reset. */
function difference(prev: CumulativeValue, point: CumulativeValue): CumulativeValue | null {
  const sumDelta = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);
  if (point.kind === "number" && prev.kind === "number") {
    const value = point.value - prev.value;
    return point.isMonotonic && value < 0 ? null : { ...point, value };
  }
  if (point.kind === "histogram" && prev.kind === "histogram") {
    if (!sameBounds(prev.explicitBounds, point.explicitBounds) || prev.bucketCounts.length !== point.bucketCounts.length) return null;
    const bucketCounts = point.bucketCounts.map((count, i) => count - (prev.bucketCounts[i] as number));
    const count = point.count - prev.count;
    if (count < 0 || bucketCounts.some((c) => c < 0)) return null;
    return { ...point, count, sum: sumDelta(prev.sum, point.sum), bucketCounts };
  }
  if (point.kind === "exponential_histogram" && prev.kind === "exponential_histogram") {
    const delta = combineExponential(point, prev, -1);
    const counts = [delta.zeroCount, ...delta.positive.bucketCounts, ...delta.negative.bucketCounts];
    if (point.count < prev.count || counts.some((c) => c < 0)) return null;
    return { ...delta, count: point.count - prev.count, sum: sumDelta(prev.sum, point.sum) };
  }
  return null;
}

export function cumulativeStepToDelta(prev: CumulativeSeriesState | undefined, point: CumulativeSeriesState): DeltaStep {
  if (prev === undefined) return { outcome: "first", delta: null, next: point };
  if (point.timeUnixNano <= prev.timeUnixNano) return { outcome: "stale", delta: null, next: prev };
  const restarted = point.startTimeUnixNano !== null && prev.startTimeUnixNano !== null && point.startTimeUnixNano !== prev.startTimeUnixNano;
  const delta = restarted ? null : difference(prev.value, point.value);
  if (delta === null) return { outcome: "reset", delta: point.value, deltaStartUnixNano: point.startTimeUnixNano, next: point };
  return { outcome: "increase", delta, deltaStartUnixNano: prev.timeUnixNano, next: point };
}

/** The state-map form: the delta for `point` of series `seriesKey`, and the state after it (a copy; `state` is untouched). */
export function cumulativeToDelta(
  state: CumulativeState,
  seriesKey: string,
  point: CumulativeSeriesState,
): { step: DeltaStep; state: Map<string, CumulativeSeriesState> } {
  const step = cumulativeStepToDelta(state.get(seriesKey), point);
  const next = new Map(state);
  next.set(seriesKey, step.next);
  return { step, state: next };
}
