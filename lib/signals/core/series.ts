// Small helpers over per-minute series that keep gaps as gaps: windows, means, rates, slopes, EWMA.
import type { MinutePoint } from "./types";

const SECONDS_PER_MINUTE = 60;

/** Unix seconds at the start of the minute containing `now`. */
export function minuteOf(now: Date): number {
  const unixS = Math.floor(now.getTime() / 1000);
  return unixS - (((unixS % SECONDS_PER_MINUTE) + SECONDS_PER_MINUTE) % SECONDS_PER_MINUTE);
}

/** The points of the `windowMinutes` minutes ending with (and including) `endMinuteUnix`. */
export function windowEndingAt(points: MinutePoint[], endMinuteUnix: number, windowMinutes: number): MinutePoint[] {
  const startMinuteUnix = endMinuteUnix - (windowMinutes - 1) * SECONDS_PER_MINUTE;
  return points.filter((p) => p.minuteUnix >= startMinuteUnix && p.minuteUnix <= endMinuteUnix);
}

export function presentValues(points: MinutePoint[]): number[] {
  const values: number[] = [];
  for (const p of points) if (p.value !== null && Number.isFinite(p.value)) values.push(p.value);
  return values;
}

/** Mean of the non-gap values; null when every minute is a gap. */
export function meanOf(points: MinutePoint[]): number | null {
  const values = presentValues(points);
  if (values.length === 0) return null;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** The last non-gap value, or null. */
export function latestValue(points: MinutePoint[]): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = points[i]?.value;
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return null;
}

/** Per-minute counts to a mean per-second rate over the present minutes; null if all are gaps. */
export function countPerMinuteToRatePerS(points: MinutePoint[]): number | null {
  const meanPerMinute = meanOf(points);
  return meanPerMinute === null ? null : meanPerMinute / SECONDS_PER_MINUTE;
}

/**
 * Least-squares slope in value units per minute over the non-gap points.
 * Gaps are skipped rather than filled, so x stays the real minute; null with fewer than 2 points.
 */
export function slopePerMinute(points: MinutePoint[]): number | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of points) {
    if (p.value === null || !Number.isFinite(p.value)) continue;
    xs.push(p.minuteUnix / SECONDS_PER_MINUTE);
    ys.push(p.value);
  }
  if (xs.length < 2) return null;
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let covXY = 0;
  let varX = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - meanX;
    covXY += dx * ((ys[i] as number) - meanY);
    varX += dx * dx;
  }
  return varX === 0 ? null : covXY / varX;
}

/** Rolling mean over the `windowMinutes` minutes ending at each point; null where the window is all gaps. */
export function rollingMean(points: MinutePoint[], windowMinutes: number): MinutePoint[] {
  return points.map((p) => ({
    minuteUnix: p.minuteUnix,
    value: meanOf(windowEndingAt(points, p.minuteUnix, windowMinutes)),
  }));
}

/**
 * Exponentially weighted moving average with a half-life in minutes.
 * The decay uses the real time between present points, so a gap counts as elapsed time,
 * not as a zero; gap minutes stay null in the output.
 */
export function ewma(points: MinutePoint[], halfLifeMinutes: number): MinutePoint[] {
  let state: number | null = null;
  let lastMinuteUnix = 0;
  return points.map((p) => {
    if (p.value === null || !Number.isFinite(p.value)) return { minuteUnix: p.minuteUnix, value: null };
    if (state === null) {
      state = p.value;
    } else {
      const elapsedMinutes = (p.minuteUnix - lastMinuteUnix) / SECONDS_PER_MINUTE;
      const alpha = 1 - Math.pow(2, -elapsedMinutes / halfLifeMinutes);
      state = state + alpha * (p.value - state);
    }
    lastMinuteUnix = p.minuteUnix;
    return { minuteUnix: p.minuteUnix, value: state };
  });
}

/** Quantile by linear interpolation between closest ranks; null for an empty list. */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const loV = sorted[lo] as number;
  return loV + ((sorted[hi] as number) - loV) * (rank - lo);
}

/** The middle value (the mean of the middle two); null for none. */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
