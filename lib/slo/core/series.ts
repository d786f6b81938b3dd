/** Per-minute rollups as the core sees them, and dense prefix sums so any trailing window's sums cost two subtractions. */

/** One minute of one SLO: `minuteUnix` is the Unix time in seconds at the start of the minute. A minute without a row has no data. */
export type MinuteRollup = { minuteUnix: number; good: number; total: number };

export type EventSums = { good: number; total: number; dataMinutes: number };

/** Minutes since the Unix epoch of the minute containing `now`. */
export function unixMinuteOf(now: Date): number {
  return Math.floor(now.getTime() / 60_000);
}

/** Rows that cannot be counted (negative, NaN, Infinity) are dropped and good is capped at total, so no sum can go NaN or above 1. */
export function sanitiseRollup(row: MinuteRollup): { minute: number; good: number; total: number } | null {
  const { minuteUnix, good, total } = row;
  if (!Number.isFinite(minuteUnix) || !Number.isFinite(good) || !Number.isFinite(total)) return null;
  if (good < 0 || total < 0) return null;
  return { minute: Math.floor(minuteUnix / 60), good: Math.min(good, total), total };
}

export type MinuteSeries = {
  firstMinute: number;
  minuteCount: number;
  /** prefix[i] = sum over the first i minutes; length minuteCount + 1. */
  goodPrefix: Float64Array;
  totalPrefix: Float64Array;
  dataMinutesPrefix: Int32Array;
};

/** Dense series over [firstMinute, lastMinute]; rows outside are ignored, duplicate rows for one minute add up. */
export function buildMinuteSeries(options: { rollups: readonly MinuteRollup[]; firstMinute: number; lastMinute: number }): MinuteSeries {
  const { rollups, firstMinute, lastMinute } = options;
  const minuteCount = Math.max(0, lastMinute - firstMinute + 1);
  const good = new Float64Array(minuteCount);
  const total = new Float64Array(minuteCount);
  for (const row of rollups) {
    const clean = sanitiseRollup(row);
    if (!clean || clean.minute < firstMinute || clean.minute > lastMinute) continue;
    good[clean.minute - firstMinute]! += clean.good;
    total[clean.minute - firstMinute]! += clean.total;
  }
  const goodPrefix = new Float64Array(minuteCount + 1);
  const totalPrefix = new Float64Array(minuteCount + 1);
  const dataMinutesPrefix = new Int32Array(minuteCount + 1);
  for (let i = 0; i < minuteCount; i++) {
    goodPrefix[i + 1] = goodPrefix[i]! + good[i]!;
    totalPrefix[i + 1] = totalPrefix[i]! + total[i]!;
    dataMinutesPrefix[i + 1] = dataMinutesPrefix[i]! + (total[i]! > 0 ? 1 : 0);
  }
  return { firstMinute, minuteCount, goodPrefix, totalPrefix, dataMinutesPrefix };
}

/** Sums over the inclusive minute range, clipped to the series. */
export function sumMinuteRange(series: MinuteSeries, range: { fromMinute: number; toMinute: number }): EventSums {
  const from = Math.max(0, range.fromMinute - series.firstMinute);
  const to = Math.min(series.minuteCount, range.toMinute - series.firstMinute + 1);
  if (to <= from) return { good: 0, total: 0, dataMinutes: 0 };
  const total = series.totalPrefix[to]! - series.totalPrefix[from]!;
  // Prefix differences of fractional counts can leave good a hair above total; never let that reach a ratio.
  const good = Math.min(series.goodPrefix[to]! - series.goodPrefix[from]!, total);
  return { good, total, dataMinutes: series.dataMinutesPrefix[to]! - series.dataMinutesPrefix[from]! };
}

/** Latest minute with total > 0, or null when no row has any events. */
export function lastDataMinute(rollups: readonly MinuteRollup[], nowMinute: number): number | null {
  let last: number | null = null;
  for (const row of rollups) {
    const clean = sanitiseRollup(row);
    if (!clean || clean.total <= 0 || clean.minute > nowMinute) continue;
    if (last === null || clean.minute > last) last = clean.minute;
  }
  return last;
}
