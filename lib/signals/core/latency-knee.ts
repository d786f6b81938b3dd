// The latency knee: tail latency rising much faster than throughput, the sign that a shared resource saturates.
import { meanOf, presentValues, windowEndingAt } from "./series";
import type { MinutePoint } from "./types";

export interface LatencyKnee {
  /** Lowest recent p99 ÷ mean baseline p99 − 1, e.g. 1.2 for +120 %. */
  p99RiseRatio: number;
  /** Throughput recent ÷ baseline − 1; negative when it fell. */
  throughputRiseRatio: number;
  /** d(p99)/d(throughput) between the two windows, in p99 units per throughput unit; null when throughput did not move. */
  p99PerThroughput: number | null;
}

/**
 * Compares the recent window with the baseline just before it. A knee is p99 up by at least
 * `minP99RiseRatio` and by at least `elasticity` times throughput's relative rise; throughput that
 * stayed flat or fell while p99 climbed is the plateau past the knee, so it counts too.
 */
export function detectLatencyKnee(options: {
  latencyP99: MinutePoint[];
  throughput: MinutePoint[];
  endMinuteUnix: number;
  recentMinutes: number;
  baselineMinutes: number;
  minPresentMinutes: number;
  minP99RiseRatio: number;
  elasticity: number;
}): LatencyKnee | null {
  const { endMinuteUnix, recentMinutes, baselineMinutes, minPresentMinutes } = options;
  const baselineEnd = endMinuteUnix - recentMinutes * 60;
  const windows = {
    p99Recent: windowEndingAt(options.latencyP99, endMinuteUnix, recentMinutes),
    p99Base: windowEndingAt(options.latencyP99, baselineEnd, baselineMinutes),
    tpRecent: windowEndingAt(options.throughput, endMinuteUnix, recentMinutes),
    tpBase: windowEndingAt(options.throughput, baselineEnd, baselineMinutes),
  };
  if (Object.values(windows).some((w) => presentValues(w).length < minPresentMinutes)) return null;
  // The lowest recent minute, not the mean: one slow minute after a burst is not a knee, a sustained rise is.
  const p99Recent = Math.min(...presentValues(windows.p99Recent));
  const p99Base = meanOf(windows.p99Base);
  const tpRecent = meanOf(windows.tpRecent);
  const tpBase = meanOf(windows.tpBase);
  if (p99Base === null || tpRecent === null || tpBase === null || p99Base <= 0 || tpBase <= 0) return null;

  const p99RiseRatio = p99Recent / p99Base - 1;
  const throughputRiseRatio = tpRecent / tpBase - 1;
  if (p99RiseRatio < options.minP99RiseRatio) return null;
  if (p99RiseRatio < options.elasticity * Math.max(0, throughputRiseRatio)) return null;
  const p99PerThroughput = tpRecent === tpBase ? null : (p99Recent - p99Base) / (tpRecent - tpBase);
  return { p99RiseRatio, throughputRiseRatio, p99PerThroughput };
}
